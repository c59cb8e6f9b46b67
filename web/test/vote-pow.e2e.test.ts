/**
 * A new voter's first vote with JavaScript, end to end: the local edge (the Worker in workerd, its default
 * proof-of-work difficulty and Content-Security-Policy) and Debian's Chromium, a fresh browser without a cookie.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeContexts, duel, goLive, launchChromium, PHONE, screenshot, startSiteStack, type SiteStack } from './support.ts';

let site: SiteStack;
let browser: Browser;
let base: string;
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  site = await startSiteStack();
  base = site.stack.api;
  browser = await launchChromium();
  await goLive(base, site.stack.operatorToken, duel(`Proof of work ${randomBytes(3).toString('hex')}`));
});

afterEach((ctx) => closeContexts(contexts, ctx.task));

afterAll(async () => {
  await browser?.close();
  await site?.teardown();
});

/** A phone with no cookies; what its pages fetch and every console error or CSP refusal they report. */
async function freshPhone(): Promise<{ c: BrowserContext; fetched: string[]; problems: string[]; page(): Promise<Page> }> {
  const c = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
  contexts.add(c);
  const fetched: string[] = [];
  const problems: string[] = [];
  c.on('request', (r) => fetched.push(r.url()));
  return {
    c,
    fetched,
    problems,
    async page() {
      const p = await c.newPage();
      p.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
      p.on('pageerror', (e) => problems.push(e.message));
      return p;
    },
  };
}

const voteResponse = (p: Page) => p.waitForResponse((r) => new URL(r.url()).pathname === '/api/vote' && r.request().method() === 'POST', { timeout: 20_000 });

describe('a new voter with JavaScript', () => {
  it('one tap: the widget has solved the challenge, the vote lands with it, the session cookie is set; the next tap is refused', async () => {
    const phone = await freshPhone();
    expect(await phone.c.cookies(base)).toEqual([]);
    const p = await phone.page();
    // A second tab of the same browser, opened before the vote: it has no session either, so it shows the widget too.
    const second = await phone.page();
    await p.goto(base);
    await second.goto(base);

    // The widget is on the page, solving by itself, from files of the site's own origin.
    await expect.poll(() => p.locator('#pow altcha-widget').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => p.locator('#pow altcha-widget').getAttribute('challenge')).toBe('/api/challenge');
    await screenshot(p, 'vote-pow-widget-phone');

    // One tap.
    const answered = voteResponse(p);
    await p.getByRole('button', { name: 'Vote Iron Mara' }).click();
    const res = await answered;
    expect(res.status(), await res.text()).toBe(200);
    const sent = res.request().postDataJSON() as { option: string; pollId: string; altcha?: string };
    expect(sent.option).toBe('A');
    expect(typeof sent.altcha).toBe('string');
    const payload = JSON.parse(Buffer.from(sent.altcha!, 'base64').toString('utf8')) as {
      challenge: { parameters: { algorithm: string; cost: number }; signature: string };
      solution: { counter: number; derivedKey: string };
    };
    expect(payload.challenge.parameters.algorithm).toBe('PBKDF2/SHA-256');
    expect(payload.solution.derivedKey).toMatch(/^[0-9a-f]+$/);
    expect((await res.json()) as { voterToken?: unknown }).toMatchObject({ type: 'vote-accepted', vote: { option: 'A' }, voterToken: expect.any(String) });
    await expect.poll(() => p.locator('#status').textContent()).toBe('You voted for Iron Mara.');
    await screenshot(p, 'vote-pow-voted-phone');

    // The session is the browser's now (HttpOnly: no script reads it), and the widget has gone.
    const cookie = (await phone.c.cookies(base)).find((k) => k.name === 'sf_voter');
    expect(cookie?.httpOnly).toBe(true);
    await expect.poll(() => p.locator('#pow altcha-widget').count()).toBe(0);

    // The widget's script, stylesheet and worker came from the site itself, hashed under /_astro; no third party.
    const path = (u: string) => new URL(u).pathname;
    const altcha = phone.fetched.filter((u) => /altcha|pbkdf2/.test(path(u)));
    expect(altcha.map((u) => new URL(u).origin)).toEqual(altcha.map(() => base));
    expect(altcha.map(path).filter((x) => /\.(js|css)$/.test(x)).every((x) => x.startsWith('/_astro/'))).toBe(true);
    expect(altcha.some((u) => /\/_astro\/pbkdf2\.[\w-]+\.js$/.test(u)), altcha.join(' ')).toBe(true);
    expect(phone.fetched.filter((u) => path(u) === '/api/challenge').length).toBeGreaterThanOrEqual(1);
    expect(phone.fetched.every((u) => new URL(u).origin === base)).toBe(true);

    // The next tap, from the tab opened before the vote: the browser's session now goes with it, and it is refused.
    const refused = voteResponse(second);
    await second.getByRole('button', { name: 'Vote Zip Zero' }).click();
    const again = await refused;
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('already-voted');
    await expect.poll(() => second.locator('#status').textContent()).toBe('You already voted in this round (for Iron Mara). One vote per round.');
    await expect.poll(() => second.locator('#pow altcha-widget').count()).toBe(0);

    // A page opened with the session shows no widget and fetches no challenge.
    const challengesBefore = phone.fetched.filter((u) => path(u) === '/api/challenge').length;
    const third = await phone.page();
    await third.goto(base);
    await expect.poll(() => third.locator('[data-opt="A"] button').getAttribute('aria-pressed')).toBe('true');
    expect(await third.locator('#pow altcha-widget').count()).toBe(0);
    expect(await third.locator('#pow').isHidden()).toBe(true);
    expect(phone.fetched.filter((u) => path(u) === '/api/challenge').length).toBe(challengesBefore);

    // Under the page's Content-Security-Policy, with nothing refused (the browser logs the expected 409 as an error).
    expect(phone.problems.filter((m) => !/status of 409/.test(m))).toEqual([]);
  });
});
