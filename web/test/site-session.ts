/**
 * One site stack and one Chromium for a test file, started and stopped by the file's own hooks: phones and pages
 * on it, and the browser contexts each test opened closed after it (with pictures of its pages if it failed).
 * The tests of a file run in order against the one stack and share its rounds.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeContexts, launchChromium, PHONE, startSiteStack, type SiteStack } from './support.ts';

export interface SiteSession {
  /** The local edge's URL, serving the site and the API. */
  readonly base: string;
  readonly token: string;
  /** The Worker's BRIDGE_TOKEN: what a chat bridge presents to `/api/chat/*`. */
  readonly bridgeToken: string;
  readonly browser: Browser;
  /** A phone-sized browser, English unless told. */
  phone(opts?: { javaScriptEnabled?: boolean; locale?: string }): Promise<BrowserContext>;
  /** A 720p browser, as OBS opens the overlay. */
  screen(): Promise<BrowserContext>;
  open(c: BrowserContext, path?: string): Promise<Page>;
}

/** Registers the file's hooks; `setup` runs once the stack and the browser are up (to put a round live, say). */
export function useSiteSession(setup: (s: SiteSession) => Promise<unknown> = async () => {}): SiteSession {
  let site: SiteStack | undefined;
  let browser: Browser | undefined;
  const contexts = new Set<BrowserContext>();
  const started = () => {
    if (!site || !browser) throw new Error('the site session is used before its beforeAll ran');
    return { site, browser };
  };
  const track = (c: BrowserContext) => {
    contexts.add(c);
    return c;
  };

  const session: SiteSession = {
    get base() {
      return started().site.stack.api;
    },
    get token() {
      return started().site.stack.operatorToken;
    },
    get bridgeToken() {
      return started().site.stack.bridgeToken;
    },
    get browser() {
      return started().browser;
    },
    async phone(opts = {}) {
      return track(await session.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: opts.locale ?? 'en-US', javaScriptEnabled: opts.javaScriptEnabled ?? true }));
    },
    async screen() {
      return track(await session.browser.newContext({ viewport: { width: 1280, height: 720 } }));
    },
    async open(c, path = '/') {
      const p = await c.newPage();
      await p.goto(`${session.base}${path}`);
      return p;
    },
  };

  beforeAll(async () => {
    site = await startSiteStack();
    browser = await launchChromium();
    await setup(session);
  });
  afterEach((ctx) => closeContexts(contexts, ctx.task));
  afterAll(async () => {
    await browser?.close();
    await site?.teardown();
  });
  return session;
}
