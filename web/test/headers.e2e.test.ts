/**
 * What the local stack sends, as Cloudflare would: every page's security headers, a Content-Security-Policy the
 * pages themselves pass in Chromium (no violation reported while each page does its work, the vote page's
 * proof of work included), embedding refused except for the overlay, hashed assets cached for a year, and the
 * public reads answered from the edge cache (workerd's Cache API, configured by devstack/src/stack/edge-workerd.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { dictionary } from '@stream-fighter/view/words';
import { api, launchChromium, PHONE, startSiteStack, type SiteStack } from './support.ts';

let site: SiteStack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  site = await startSiteStack();
  base = site.stack.api;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.teardown();
});

interface Visit {
  page: Page;
  headers: Record<string, string>;
  /** Every CSP violation the page reported, and every console line about one. */
  violations: () => Promise<string[]>;
  /** Response headers of the /_astro/ files the page loaded, by path. */
  assets: Map<string, Record<string, string>>;
}

async function visit(path: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US' });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => {
    if (/content security policy|refused to/i.test(m.text())) consoleLines.push(m.text());
  });
  // Registered before any of the page's own scripts run, so nothing it does goes unseen.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber}`));
  });
  const assets = new Map<string, Record<string, string>>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/_astro/')) assets.set(url.pathname, r.headers());
  });
  const res = await page.goto(`${base}${path}`);
  expect(res?.status(), path).toBe(200);
  return {
    page,
    headers: res!.headers(),
    assets,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...consoleLines],
  };
}

const CSP = 'content-security-policy';

function expectSecurityHeaders(v: Visit, path: string, opts: { embeddable: boolean }) {
  expect(v.headers['x-content-type-options'], path).toBe('nosniff');
  expect(v.headers['referrer-policy'], path).toBe('same-origin');
  const csp = v.headers[CSP] ?? '';
  expect(csp, path).toContain("script-src 'self'");
  expect(csp, path).toContain("object-src 'none'");
  if (opts.embeddable) expect(csp, path).not.toContain('frame-ancestors');
  else expect(csp, path).toContain("frame-ancestors 'none'");
}

describe('the pages', () => {
  it('the vote page: headers from the Worker, and the proof of work (script, stylesheet, worker) passes its policy', async () => {
    const v = await visit('/');
    expectSecurityHeaders(v, '/', { embeddable: false });
    expect(v.headers[CSP]).toContain("worker-src 'self'");
    // A browser without a session gets the ALTCHA widget, which starts solving at once.
    await expect
      .poll(() => v.page.evaluate(() => (document.querySelector('altcha-widget') as (Element & { getState?: () => string }) | null)?.getState?.() ?? 'absent'), {
        timeout: 60_000,
        interval: 250,
        message: 'the ALTCHA widget solving its challenge',
      })
      .toBe('verified');
    await expect.poll(() => v.page.locator('#fight .opt').count(), { timeout: 10_000, message: 'the fight drawn' }).toBeGreaterThan(1);
    expect(await v.violations()).toEqual([]);
    const footer = v.page.locator('.foot-links a[href="/privacy"]');
    expect(await footer.textContent()).toBe('Privacy');
    await v.page.context().close();
  });

  it('the static pages pass their policies while they work, and only the overlay may be embedded', async () => {
    const pages: Array<[string, (p: Page) => Promise<unknown>, boolean]> = [
      ['/results/', (p) => expect.poll(() => p.locator('#matches .loading').count(), { timeout: 10_000, message: 'the match list loaded' }).toBe(0), false],
      // Loaded without an error (an error message would replace the loading line too).
      ['/fighters/', (p) => expect.poll(async () => (await p.locator('#fighters-status .loading').count()) + (await p.locator('#fighters-status [role="alert"]').count()), { timeout: 10_000, message: 'the fighter table loaded, without an error' }).toBe(0), false],
      ['/privacy/?lang=es', (p) => expect.poll(() => p.locator('h1').textContent(), { timeout: 10_000, message: 'the Spanish heading' }).toBe(dictionary('es')['privacy.heading']), false],
      ['/overlay/', (p) => expect.poll(() => p.locator('#qr svg').count(), { timeout: 10_000, message: 'the QR code drawn' }).toBe(1), true],
      [
        '/dashboard/',
        async (p) => {
          await p.getByLabel('Operator token').fill(site.stack.operatorToken);
          await p.getByRole('button', { name: 'Sign in' }).click();
          await expect.poll(() => p.locator('#round-phase').getAttribute('data-phase'), { timeout: 15_000, message: 'the dashboard signed in and live' }).toMatch(/\w+/);
        },
        false,
      ],
    ];
    for (const [path, works, embeddable] of pages) {
      const v = await visit(path);
      expectSecurityHeaders(v, path, { embeddable });
      await works(v.page);
      expect(await v.violations(), path).toEqual([]);
      // Vite names these files by content: a year, immutable.
      expect(v.assets.size, path).toBeGreaterThan(0);
      for (const [asset, h] of v.assets) expect(h['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      await v.page.context().close();
    }
  });

  it('Chromium refuses to frame the dashboard and the vote page, and frames the overlay', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(['/', '/dashboard/', '/overlay/'].map((p) => `<iframe src="${base}${p}" width="400" height="300"></iframe>`).join(''));
    // What the frame shows: the site's own page (its header, or the overlay's QR), or Chromium's error page.
    const showsSite = async (path: string) => {
      const frame = page.frames().find((f) => f !== page.mainFrame() && new URL(f.url() || 'about:blank', base).pathname === path);
      return frame ? frame.evaluate(() => document.querySelector('.site-head, #qr') !== null).catch(() => false) : false;
    };
    await expect.poll(() => showsSite('/overlay/'), { timeout: 10_000, message: 'the overlay inside a frame' }).toBe(true);
    for (const path of ['/', '/dashboard/']) expect(await showsSite(path), `${path} inside a frame`).toBe(false);
    await context.close();
  });
});

describe('the edge cache on the local stack', () => {
  it('answers a repeated public read within the window from the cache (it carries an Age)', async () => {
    // A page size nothing else asks for, so the first read is a fresh one.
    const a = await fetch(`${base}/api/polls?limit=7`);
    expect(a.status).toBe(200);
    expect(a.headers.get('age'), 'a fresh answer').toBeNull();
    const body = await a.text();
    for (const again of ['/api/polls?limit=7', '/api/polls?limit=7&nocache=1']) {
      const b = await fetch(`${base}${again}`);
      expect(b.headers.get('age'), `${again}: from the cache`).toMatch(/^[0-5]$/);
      expect(await b.text()).toBe(body);
    }
    await fetch(`${base}/api/leaderboard`);
    expect((await fetch(`${base}/api/leaderboard`)).headers.get('age'), '/api/leaderboard from the cache').toMatch(/^[0-5]$/);
  });

  it('repeats the last health check to the public; the operator gets a new one', async () => {
    type Health = { ok: boolean; checkedAt: number };
    const a = await api<Health>(base, '/api/health');
    const b = await api<Health>(base, '/api/health');
    expect(a.status).toBe(200);
    expect(b.body.checkedAt).toBe(a.body.checkedAt);
    const deep = await api<Health>(base, '/api/health?deep=1', { headers: { authorization: `Bearer ${site.stack.operatorToken}` } });
    expect(deep.status).toBe(200);
    expect(deep.body.checkedAt).toBeGreaterThan(a.body.checkedAt);
  });
});
