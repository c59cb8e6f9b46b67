/**
 * The viewers' leaderboard on /results, end to end: two viewers bet on opposite sides of a duel (through the API,
 * each minting a session with a solved challenge as a browser does), the winner's side wins, and the winner's
 * browser, holding that session, sees its own row marked on /results; a browser without a session sees the same
 * board with no row marked and never asks GET /api/me.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from '@stream-fighter/devstack/stack/stack';
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { api, closeContexts, duel, launchChromium, PHONE, screenshot, startSiteStack } from './support.ts';

/** The betting window: long enough for two bets from Node. */
const INTRO_MS = 10_000;
const title = `Board night ${randomBytes(3).toString('hex')}`;

let stack: Stack;
let browser: Browser;
let cleanup: () => Promise<void> = async () => {};
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  const site = await startSiteStack({ ROUND_PHASES_MS: `${INTRO_MS},2000,1000` });
  stack = site.stack;
  cleanup = site.teardown;
  browser = await launchChromium();
});
afterEach((ctx) => closeContexts(contexts, ctx.task));
afterAll(async () => {
  await browser?.close();
  await cleanup();
});

const auth = () => ({ authorization: `Bearer ${stack.operatorToken}`, 'content-type': 'application/json' });
type Round = { pollId: string; phase: string; matchup: { title: string } };
const currentRound = async () => (await api<{ round: Round }>(stack.api, '/api/poll')).body.round;
const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Queue the duel, end the current round and wait for the duel's intro (the betting window). */
async function announce(): Promise<string> {
  const q = await api<{ queue: Array<{ id: number }> }>(stack.api, '/api/poll/queue', { headers: auth() });
  for (const item of q.body.queue) await api(stack.api, `/api/poll/queue/${item.id}`, { method: 'DELETE', headers: auth() });
  const added = await api(stack.api, '/api/poll/queue', { method: 'POST', headers: auth(), body: JSON.stringify(duel(title)) });
  if (added.status !== 201) throw new Error(`POST /api/poll/queue: ${added.status} ${JSON.stringify(added.body)}`);
  await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() });
  return vi.waitFor(
    async () => {
      const round = await currentRound();
      if (round.matchup.title !== title || round.phase !== 'upcoming') throw new Error(`${title} was not announced within 15 s (last seen ${round.matchup.title}: ${round.phase})`);
      return round.pollId;
    },
    { timeout: 15_000, interval: 200 },
  );
}

/** A first bet, with a solved challenge: returns the session it minted. */
async function firstBet(pollId: string, option: 'A' | 'B', points: number, altcha: string): Promise<string> {
  const res = await api<{ voterToken?: string }>(stack.api, '/api/bet', json({ pollId, option, points, altcha }));
  if (res.status !== 200 || !res.body.voterToken) throw new Error(`POST /api/bet: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.voterToken;
}

/** A phone on /results; with `session`, it holds that voter's cookie and the hint the vote page leaves. */
async function resultsPhone(session: string | null): Promise<{ page: Page; meCalls: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
  contexts.add(context);
  if (session) {
    await context.addCookies([{ name: 'sf_voter', value: session, url: stack.api, httpOnly: true, sameSite: 'Lax' }]);
    // What the vote page leaves once it knows this browser's session (scripts/session-hint.ts).
    await context.addInitScript(() => localStorage.setItem('sf-session', '1'));
  }
  const page = await context.newPage();
  const meCalls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/me') meCalls.push(r.url());
  });
  await page.goto(`${stack.api}/results`);
  return { page, meCalls };
}

describe('the viewers\' leaderboard on /results', () => {
  it('marks the caller\'s own row after a payout, and no row for a browser without a session', async () => {
    const [winnerProof, loserProof] = await Promise.all([altchaPayload(stack.api), altchaPayload(stack.api)]);
    const pollId = await announce();
    const winner = await firstBet(pollId, 'A', 300, winnerProof);
    await firstBet(pollId, 'B', 500, loserProof);
    await vi.waitFor(
      async () => {
        if ((await currentRound()).phase !== 'live') throw new Error(`${title} did not go live within ${INTRO_MS + 5_000} ms`);
      },
      { timeout: INTRO_MS + 5_000, interval: 200 },
    );
    // A vote for Iron Mara (A) is a hit on Zip Zero; the operator ends the round and A wins: 300 + 500 to the winner.
    expect((await api(stack.api, '/api/vote', json({ option: 'A', pollId }, { 'x-voter-token': winner }))).status).toBe(200);
    expect((await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() })).status).toBe(200);
    const me = await api<{ name: string; balance: number }>(stack.api, '/api/me', { headers: { 'x-voter-token': winner } });
    expect(me.body.balance).toBe(1_500);
    const name = `Viewer ${me.body.name}`;

    const { page, meCalls } = await resultsPhone(winner);
    const mine = page.locator('#viewers li.me');
    await vi.waitFor(
      async () => {
        if ((await mine.count()) === 1) return;
        await page.reload();
        throw new Error(`the winner's own row marked on /results within 15 s (the board is edge-cached for 5 s)`);
      },
      { timeout: 15_000, interval: 1_000 },
    );
    expect(await mine.innerText()).toBe(`${name} (you)\n1,500 points`);
    expect(await mine.getAttribute('aria-current')).toBe('true');
    expect(await page.locator('#me-line').innerText()).toBe(`You are ${name} · 1,500 points`);
    expect(await page.locator('#viewers li').count()).toBe(2);
    expect(meCalls.length).toBeGreaterThan(0);
    await screenshot(page, 'results-leaderboard-phone');

    const stranger = await resultsPhone(null);
    await expect.poll(() => stranger.page.locator('#viewers li').count(), { timeout: 10_000, message: 'the board for a browser without a session' }).toBe(2);
    expect(await stranger.page.locator('#viewers li.me').count()).toBe(0);
    expect(await stranger.page.locator('#me-line').isHidden()).toBe(true);
    expect(stranger.meCalls).toEqual([]);
  });
});
