/**
 * Play-money bets on the vote page, end to end: two phones bet on opposite sides while the fight is announced,
 * one of them votes once it is live, the operator ends the round, and each phone shows what its bet won or lost
 * with its new balance; and a bet placed while the next match is announced (the fight before it just ended) rides
 * into that match. The stack runs with a 20 s intro and 8 s of results instead of the tests' usual 1 s, so new
 * browsers have time to prove their work and bet.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from '@stream-fighter/devstack/stack/stack';
import { api, closeContexts, duel, launchChromium, PHONE, queueAtHead, screenshot, startSiteStack } from './support.ts';

const INTRO_MS = 20_000;
const RESULTS_MS = 8_000;
const title = `Betting night ${randomBytes(3).toString('hex')}`;

let stack: Stack;
let browser: Browser;
let cleanup: () => Promise<void> = async () => {};
const contexts = new Set<BrowserContext>();

beforeAll(async () => {
  const site = await startSiteStack({ ROUND_PHASES_MS: `${INTRO_MS},2000,${RESULTS_MS}` });
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

/**
 * Queue the duel (and `then` after it), end the current round and wait (finish and results cards, ~10 s a round;
 * a successor the room fixed before, ended as soon as it opens, adds one) for the duel's intro. With two queued, the
 * room's upkeep plans nothing in between.
 */
async function announce(then?: unknown): Promise<string> {
  await queueAtHead(stack.api, stack.operatorToken, duel(title));
  if (then) {
    const second = await api(stack.api, '/api/poll/queue', { method: 'POST', headers: auth(), body: JSON.stringify(then) });
    if (second.status !== 201) throw new Error(`POST /api/poll/queue: ${second.status} ${JSON.stringify(second.body)}`);
  }
  await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() });
  return vi.waitFor(
    async () => {
      const round = await currentRound();
      if (round.matchup.title !== title || round.phase !== 'upcoming') {
        // A fight that had already ended had its successor fixed (bets may name it): that one is ended too.
        if (round.matchup.title !== title && (round.phase === 'upcoming' || round.phase === 'live')) await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() });
        throw new Error(`${title} was not announced within 40 s (last seen ${round.matchup.title}: ${round.phase})`);
      }
      return round.pollId;
    },
    { timeout: 40_000, interval: 200 },
  );
}

async function phone(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
  contexts.add(context);
  const page = await context.newPage();
  await page.goto(`${stack.api}/`);
  return page;
}

const note = (p: Page) => p.locator('#bets [data-slot="note"]').textContent();
const balance = (p: Page) => p.locator('#bets [data-slot="balance"]').textContent();

async function placeBet(p: Page, points: number, name: string): Promise<void> {
  await expect.poll(() => p.locator('#bet-form').isVisible(), { timeout: 10_000, message: 'the bet form during the intro' }).toBe(true);
  await p.locator('#bet-form input[name="points"]').fill(String(points));
  await p.getByRole('button', { name: `Bet on ${name}` }).click();
  // A new browser proves its work first (the same check as before a first vote).
  await expect.poll(() => note(p), { timeout: 15_000, message: `the bet of ${points} on ${name} placed` }).toBe(`Your bet: ${points} points on ${name}.`);
}

describe('bets on the vote page', () => {
  it('bet during the intro, vote once live, and see the payout after the round', async () => {
    const pollId = await announce();
    const [winner, loser] = [await phone(), await phone()];
    await expect.poll(() => balance(winner), { message: 'the starting balance' }).toBe('1,000 points');
    expect(await note(winner)).toBe('Bet points on who wins. Bets close when the fight starts. Play money: nothing to buy, nothing to cash out.');
    await placeBet(winner, 300, 'Iron Mara');
    await placeBet(loser, 500, 'Zip Zero');
    await expect.poll(() => balance(winner)).toBe('700 points');
    await expect.poll(() => winner.locator('#bets [data-slot="odds"]').innerText(), { timeout: 5_000, message: 'both pools in the odds' }).toBe('Iron Mara: 300 points, pays 2.67×\nZip Zero: 500 points, pays 1.6×');
    expect((await currentRound()).phase, 'both bets went in during the intro').toBe('upcoming');
    await screenshot(winner, 'bets-placed-phone');

    // Live: bets close, and voting opens (a vote for Iron Mara is a hit on Zip Zero).
    await expect.poll(() => note(winner), { timeout: INTRO_MS + 5_000, message: 'bets closed once live' }).toBe('Your bet: 300 points on Iron Mara. Bets are closed for this fight.');
    expect((await currentRound()).pollId).toBe(pollId);
    await winner.getByRole('button', { name: 'Vote Iron Mara' }).click();
    await expect.poll(() => winner.locator('#status').textContent(), { timeout: 10_000 }).toBe('You voted for Iron Mara.');

    // The operator ends the round: Iron Mara has more HP and wins. 300 + 500 go to the only winner.
    const rotated = await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() });
    expect(rotated.status).toBe(200);
    // The result first; the next fight's book may be open beside it (bets while the next match is announced).
    await expect.poll(() => note(winner), { timeout: 10_000, message: 'the payout on the winner\'s phone' }).toMatch(/^You won 500 points!/);
    await expect.poll(() => balance(winner)).toBe('1,500 points');
    await expect.poll(() => note(loser), { timeout: 10_000, message: 'the loss on the loser\'s phone' }).toMatch(/^You lost 500 points\./);
    await expect.poll(() => balance(loser)).toBe('500 points');
    await screenshot(winner, 'bets-won-phone');
  });

  it('bet while the next match is announced, after the fight before it ended: the bet rides into that match', async () => {
    const nextTitle = `Up next ${randomBytes(3).toString('hex')}`;
    await announce({ ...duel(nextTitle), options: duel(nextTitle).options.toReversed().map((o, i) => ({ ...o, id: ['A', 'B'][i] })) });
    const p = await phone();
    await expect.poll(() => balance(p), { message: 'the page is up' }).toBe('1,000 points');
    // The fight on now ends (nobody voted: a tie); its successor, the queued duel, is announced with its poll id.
    expect((await api(stack.api, '/api/poll/rotate', { method: 'POST', headers: auth() })).status).toBe(200);
    // The bet form names the next match's fighters (Zip Zero is its option A) while this fight's results show, and
    // the note says which fight it is.
    await expect.poll(() => note(p), { timeout: 10_000, message: 'the next fight announced in the points panel' }).toContain(`Bets are open on the next fight: ${nextTitle}.`);
    await placeBet(p, 200, 'Zip Zero');
    const during = await currentRound();
    expect(during.phase === 'finished' || during.phase === 'results', `the bet went in after the fight ended, before the next began (${during.phase})`).toBe(true);
    expect(during.matchup.title).toBe(title);
    await screenshot(p, 'bets-up-next-phone');
    const next = await vi.waitFor(
      async () => {
        const round = await currentRound();
        if (round.matchup.title !== nextTitle) throw new Error(`${nextTitle} did not open within ${RESULTS_MS + 5_000} ms (last seen ${round.matchup.title}: ${round.phase})`);
        return round;
      },
      { timeout: RESULTS_MS + 5_000, interval: 200 },
    );
    expect(next.phase).toBe('upcoming');
    // The same bet, on the match that opened: still shown, and the balance as it was after the stake.
    await expect.poll(() => note(p), { timeout: 5_000, message: 'the bet rides into the announced match' }).toBe('Your bet: 200 points on Zip Zero.');
    expect(await balance(p)).toBe('800 points');
  });
});
