/**
 * The results page end to end: a duel with a vote goes live and is finished by the operator, so the archive
 * and the leaderboard have it to show.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { api, duel, goLive, oneVoteThenEnd, screenshot } from './support.ts';
import { useSiteSession } from './site-session.ts';

const fightTitle = `Rooftop rumble ${randomBytes(3).toString('hex')}`;
const site = useSiteSession(async ({ base, token }) => {
  await goLive(base, token, duel(fightTitle));
  // One voter, so the duel has a winner for the leaderboard; then the operator ends it.
  await oneVoteThenEnd(base, token);
  // Rounds reach the archive through the room's outbox. The page's reads are edge-cached for a few seconds, so
  // wait until they return the duel and its win: the page then finds what it would find long after the round.
  await vi.waitFor(
    async () => {
      const polls = await api<{ items: Array<{ title: string }> }>(base, '/api/polls');
      const board = await api<{ items: unknown[] }>(base, '/api/leaderboard?kind=fighters');
      if (!polls.body.items.some((m) => m.title === fightTitle) || board.body.items.length === 0) throw new Error(`${fightTitle} is not archived and counted yet`);
    },
    { timeout: 30_000, interval: 500 },
  );
});
const { phone, open } = site;

describe('the results page', () => {
  it('lists past matches and the leaderboard', async () => {
    const c = await phone();
    const p = await open(c, '/results');
    // Rounds reach the archive through the room's outbox: allow it a few seconds.
    await vi.waitFor(
      async () => {
        if ((await p.locator('.match').count()) > 0) return;
        await p.reload();
        throw new Error('no past match on /results within 20 s');
      },
      { timeout: 20_000, interval: 1_000 },
    );
    await expect.poll(() => p.locator('.match h3', { hasText: fightTitle }).count()).toBe(1);
    await expect.poll(() => p.locator('#board li').count(), { timeout: 10_000, message: "the fighters' leaderboard on /results" }).toBeGreaterThan(0);
    await screenshot(p, 'results-phone');
  });
});
