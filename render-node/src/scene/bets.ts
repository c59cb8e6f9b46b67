/**
 * What the stream knows of the betting window (edge bet-book.ts; README "Predictions with points"): the odds while
 * the room takes bets, the match they are about, and how long until the stream shows them closed. draw-odds.ts
 * draws it.
 *
 * Once a round has finished, the room's book is the next match's (its poll id comes with the odds, and the snapshot's
 * `upNext` is that match) until it goes live; during that match's intro the book is the round's own.
 */
import type { Matchup, RoundOdds, Snapshot } from '@stream-fighter/core';
import { streamCloseLeftMs } from '@stream-fighter/view/odds-line';

export type BetsView = {
  odds: RoundOdds;
  /** The match the bets are on, whose fighters the strip names. */
  matchup: Matchup;
  /**
   * ms until the stream shows bets closed, on the room's clock: the room's closing time less the stream delay
   * (view/odds-line.ts), never below 0. At 0 the strip says closed while the room may still take bets.
   */
  closeLeftMs: number;
};

/**
 * The window's view at room time `serverNow`: null while the room takes no bets (`open` false, or a room older than
 * bets) and when the match the odds name is not in the snapshot (a next match without `upNext`): a strip that
 * cannot name its fighters is not shown.
 */
export function betsView(s: Pick<Snapshot, 'odds' | 'round' | 'upNext'>, serverNow: number): BetsView | null {
  const odds = s.odds;
  if (!odds?.open) return null;
  const matchup = odds.pollId === s.round.pollId ? s.round.matchup : s.upNext;
  if (!matchup) return null;
  return { odds, matchup, closeLeftMs: streamCloseLeftMs(odds, serverNow) };
}
