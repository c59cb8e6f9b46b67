/** Vote totals and shares, and how much HP is left: one rounding for the site, the overlay and the stream. */
import { MAX_HP } from '@stream-fighter/core/constants';
import type { Matchup, RoundState } from '@stream-fighter/core';

/** All votes cast for the matchup's options. */
export function totalVotes(round: { matchup: Pick<Matchup, 'options'>; votes: RoundState['votes'] }): number {
  return round.matchup.options.reduce((n, o) => n + (round.votes[o.id] ?? 0), 0);
}

/** `votes` as a whole percentage of `total`; 0 while nobody has voted. */
export function sharePct(votes: number, total: number): number {
  return total > 0 ? Math.round((votes / total) * 100) : 0;
}

/** HP left as a whole percentage of MAX_HP. */
export function hpPct(hp: number): number {
  return Math.round((hp / MAX_HP) * 100);
}
