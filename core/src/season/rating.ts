/**
 * Fighter ratings: Elo, in integers.
 *
 * Why Elo and not Glicko-2: a fighter has one number, which the stream can show and a viewer can follow; an update is
 * zero-sum (what one side gains the other loses), so the sum of all ratings is fixed and a test can check it in the
 * database; and a rating is a plain fold over results in finish order, so replaying the archive rebuilds it exactly.
 * Glicko-2 adds a deviation and a volatility per fighter, rating periods and an iterative solver: better estimates
 * for players who play rarely, none of which a show with a fight every three minutes needs.
 *
 * Rules
 * - Ratings are integers. A new fighter starts at ELO.initial.
 * - The change is delta = K · (S − E), S = 1 win, ½ tie (a round with no winner is a draw), 0 loss, E the expected
 *   score 1 / (1 + 10^((Rb − Ra)/400)); the loser gets exactly −delta, so every update is zero-sum.
 * - Rounding: delta is rounded half away from zero, computed from the side with the lower rating (either side when
 *   equal), then negated for the other side. So the result does not depend on which fighter is passed first, and
 *   |delta| ≤ K always.
 * - Order: results are applied one after another in the order the rounds finished. Two results with no fighter in
 *   common commute (they touch different ratings); two that share a fighter do not, which is why the order is the
 *   finish order and a replay must use the same one.
 */

export const ELO = { initial: 1500, k: 32 } as const;

export type EloOptions = { k?: number };

/** A's score: 1 win, 0.5 tie, 0 loss. */
export type Score = 0 | 0.5 | 1;

/** Probability-like expected score of a fighter rated `ra` against one rated `rb`. */
export function expectedScore(ra: number, rb: number): number {
  return 1 / (1 + 10 ** ((rb - ra) / 400));
}

function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** How many points A gains (negative: loses) and B loses, for A's score `scoreA`. */
export function eloDelta(ra: number, rb: number, scoreA: Score, options: EloOptions = {}): number {
  const k = options.k ?? ELO.k;
  // Computed from the lower-rated side, so swapping the arguments gives exactly the opposite number.
  if (ra > rb) return 0 - eloDelta(rb, ra, (1 - scoreA) as Score, options); // 0 - x: never -0
  const d = roundHalfAwayFromZero(k * (scoreA - expectedScore(ra, rb)));
  return d === 0 ? 0 : d; // never -0
}

/** Both ratings after one result. */
export function applyElo(ra: number, rb: number, scoreA: Score, options: EloOptions = {}): { a: number; b: number; delta: number } {
  const delta = eloDelta(ra, rb, scoreA, options);
  return { a: ra + delta, b: rb - delta, delta };
}

export type EloResult = { a: string; b: string; scoreA: Score };

/** Ratings after a list of results, in order, starting from `start` (fighters not in it start at ELO.initial). */
export function replayElo(results: readonly EloResult[], start: ReadonlyMap<string, number> = new Map(), options: EloOptions = {}): Map<string, number> {
  const ratings = new Map(start);
  for (const { a, b, scoreA } of results) {
    if (a === b) continue; // a mirror match says nothing about strength
    const next = applyElo(ratings.get(a) ?? ELO.initial, ratings.get(b) ?? ELO.initial, scoreA, options);
    ratings.set(a, next.a);
    ratings.set(b, next.b);
  }
  return ratings;
}
