/**
 * The season and the betting window in the bench's snapshots (draw.ts, pipeline.ts), so `npm run bench:render`
 * measures what a stream draws around a fight in a tournament with bets open: the season pill, and the odds strip
 * (src/scene/draw-odds.ts) with its countdown ticking each second and a new bet every half second, each a repaint of
 * the strip (more bets than that change it no more often than the snapshots come). The room takes bets only between
 * rounds; the bench keeps them open over the live fight as well, so every measured frame pays for the strip.
 */
import type { Matchup, RoundOdds, SeasonOnAir } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { tournamentOnAir } from '../src/scene/bracket-fixture.ts';

/** How long each betting window runs before the next one opens, ms: the default window is 17 s. */
const WINDOW_MS = 17_000;
const BET_EVERY_MS = 500;

/** What the bench's snapshots carry besides the round, at room time `now`; the window restarts every WINDOW_MS. */
export function bettingExtras(start: number): (now: number) => { season: SeasonOnAir; odds: RoundOdds; upNext: Matchup } {
  const season = tournamentOnAir(2);
  const upNext = showcaseFight('space');
  return (now) => {
    const window = Math.floor((now - start) / WINDOW_MS);
    const opened = start + window * WINDOW_MS;
    const bets = Math.floor((now - opened) / BET_EVERY_MS);
    // Two bets in three on A, 100 points each, so both multipliers move.
    const pools = { A: 100 * Math.ceil((bets * 2) / 3), B: 100 * Math.floor(bets / 3) };
    const total = pools.A + pools.B;
    const side = (option: 'A' | 'B') => ({ option, pool: pools[option], bettors: pools[option] / 100, multiplier: pools[option] > 0 ? total / pools[option] : null });
    return {
      season,
      upNext,
      odds: { pollId: `bench-next-${window}`, open: true, closesAt: opened + WINDOW_MS, streamDelayMs: 3_000, total, sides: [side('A'), side('B')] },
    };
  };
}
