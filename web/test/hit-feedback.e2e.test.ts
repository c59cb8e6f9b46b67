/**
 * The vote page's answer to a tap, end to end in Chromium: the voter sees what their own hit did ("Jab! 1,234
 * damage") with a pop and a buzz, or, with prefers-reduced-motion, the words alone; after the round, the results
 * view names the winner, how their pick did and the next match.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from '@stream-fighter/devstack/stack/stack';
import type { VoteAccepted } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import { api, closeContexts, duel, goLive, launchChromium, PHONE, plainPoll, queueAtHead, screenshot, startSiteStack } from './support.ts';

const tag = randomBytes(3).toString('hex');
const fightTitle = `Hit parade ${tag}`;
const nextTitle = `Snack vote ${tag}`;

// Finish and results cards of 6 s and 4 s (the tests' usual are 2 s and 1 s), so the results view is there long
// enough to be read on a busy machine; and a browser context of our own for each phone, to ask for reduced motion.
let stack: Stack;
let browser: Browser;
let cleanup: () => Promise<void> = async () => {};
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  const site = await startSiteStack({ ROUND_PHASES_MS: '1000,6000,4000' });
  stack = site.stack;
  cleanup = site.teardown;
  browser = await launchChromium();
  await goLive(stack.api, stack.operatorToken, duel(fightTitle));
});
afterEach((ctx) => closeContexts(contexts, ctx.task));
afterAll(async () => {
  await browser?.close();
  await cleanup();
});

/** A phone that records what the page asks the Vibration API for (Chromium has it, but nothing here buzzes). */
async function phone(reducedMotion: 'reduce' | 'no-preference'): Promise<Page> {
  const c = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US', reducedMotion });
  contexts.add(c);
  await c.addInitScript(() => {
    const w = window as unknown as { buzzes: unknown[] };
    w.buzzes = [];
    navigator.vibrate = ((pattern: unknown) => (w.buzzes.push(pattern), true)) as Navigator['vibrate'];
  });
  const p = await c.newPage();
  await p.goto(`${stack.api}/`);
  await expect.poll(() => p.locator('.fight__title').textContent(), { message: 'the duel on the page' }).toBe(fightTitle);
  return p;
}

/** Taps "Vote <name>" and returns the API's answer to it (a new browser proves its work first). */
async function voteFor(p: Page, name: string): Promise<VoteAccepted> {
  const answer = p.waitForResponse((r) => r.url().endsWith('/api/vote') && r.request().method() === 'POST' && r.status() === 200, { timeout: 20_000 });
  await p.getByRole('button', { name: `Vote ${name}` }).click();
  return (await (await answer).json()) as VoteAccepted;
}

const auth = () => ({ authorization: `Bearer ${stack.operatorToken}`, 'content-type': 'application/json' });

/** Make `matchup` the next one (the room keeps its queue topped up: support.ts queueAtHead). */
const queueNext = (matchup: { title: string }) => queueAtHead(stack.api, stack.operatorToken, matchup);

const hitLine = (p: Page) => p.locator('#hit');
const buzzes = (p: Page) => p.evaluate(() => (window as unknown as { buzzes: unknown[] }).buzzes);

describe('feedback that makes a tap feel like a hit', () => {
  it('names the move and its damage, pops it and buzzes', async () => {
    const p = await phone('no-preference');
    const res = await voteFor(p, 'Iron Mara');
    expect(res.hit, 'the answer names the hit').toBeDefined();
    const hit = res.hit!;
    expect(hit).toMatchObject({ attacker: 'A', target: 'B' });
    expect(['Jab', 'Sweep', 'Nova']).toContain(hit.move);
    await expect.poll(() => hitLine(p).textContent(), { timeout: 5_000, message: 'the hit line' }).toBe(`${hit.move}! ${formatNumber(hit.damage, 'en')} damage`);
    expect(await hitLine(p).isVisible()).toBe(true);
    expect(await p.locator('#status').textContent()).toBe('You voted for Iron Mara.');
    expect(await hitLine(p).getAttribute('class')).toContain('hit--pop');
    expect(await hitLine(p).evaluate((el) => getComputedStyle(el).animationName)).toBe('hit-pop');
    expect(await buzzes(p)).toHaveLength(1);
    // A short pop: over within a second, and the page never wider than the phone.
    await expect.poll(() => hitLine(p).evaluate((el) => el.getAnimations().length), { timeout: 2_000, message: 'the pop over' }).toBe(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.width);
    await screenshot(p, 'hit-feedback-phone');
  });

  it('with prefers-reduced-motion: the same words, no animation and no buzz', async () => {
    const p = await phone('reduce');
    const res = await voteFor(p, 'Iron Mara');
    const hit = res.hit!;
    await expect.poll(() => hitLine(p).textContent(), { timeout: 5_000, message: 'the hit line' }).toBe(`${hit.move}! ${formatNumber(hit.damage, 'en')} damage`);
    expect(await hitLine(p).getAttribute('class')).not.toContain('hit--pop');
    expect(await p.locator('.opt.is-hit').count()).toBe(0);
    expect(await buzzes(p)).toEqual([]);
    // The stylesheet's own guard: even with the class on, nothing on the line animates.
    expect(await hitLine(p).evaluate((el) => (el.classList.add('hit--pop'), getComputedStyle(el).animationName))).toBe('none');
  });

  it('after the round: the winner, how the voter\'s pick did and the next match', async () => {
    const p = await phone('no-preference');
    await voteFor(p, 'Iron Mara');
    expect(await p.locator('#round-over').isHidden()).toBe(true);
    await queueNext(plainPoll(nextTitle));
    // Three hits on Zip Zero and none on Iron Mara (no KO: a hit takes at most a quarter of the HP): Iron Mara wins.
    expect((await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() })).status).toBe(200);
    const view = p.locator('#round-over');
    await expect.poll(() => view.isVisible(), { timeout: 5_000, message: 'the results view after the round' }).toBe(true);
    expect(await view.locator('[data-slot="winner"]').textContent()).toBe('Iron Mara wins!');
    expect(await view.locator('[data-slot="mine"]').textContent()).toBe('You voted for Iron Mara: a winner!');
    expect(await view.locator('[data-slot="next"]').textContent()).toBe(`Up next: ${nextTitle}`);
    // The hit line stays with its round.
    expect(await hitLine(p).isVisible()).toBe(true);
    await screenshot(p, 'round-over-phone');
    // The next round's intro: the view and the hit line go.
    await expect.poll(() => p.locator('.fight__title').textContent(), { timeout: 15_000, message: 'the next round on the page' }).toBe(nextTitle);
    expect(await view.isHidden()).toBe(true);
    expect(await hitLine(p).isHidden()).toBe(true);
  });
});
