/**
 * How hard a vote hits. The numbers are chosen so a round feels the same for 5 viewers and for 5 000:
 *
 * - `audience` is the expected number of voters in a round (estimated from earlier rounds, fixed at startRound so
 *   a hit's damage never depends on later events).
 * - base damage = MAX_HP × 1.25 / audience: if ~80% of the expected audience piles onto one side, the other is KO'd.
 * - × a per-kind multiplier (punch 0.9, kick 1.1, special 1.6, divided by their 60/30/10 weighted mean 1.03 so an
 *   average hit is worth exactly the base).
 * - rounded, then clamped to [1, MAX_HP/4]: a hit always does something, and even a tiny crowd needs ≥ 4 hits.
 *
 * All integers, so a replay of the same votes gives the same HP to the point.
 */
import type { AttackKind } from './ids.ts';
import { hash32 } from './hash.ts';
import { MAX_HP } from './constants.ts';
import type { RoundResult } from './round-state.ts';

/** The smallest audience estimate: below this the 4-hit floor makes the estimate meaningless anyway. */
export const MIN_AUDIENCE = 5;
/** Share of the expected audience that, voting unanimously, KOs the other side. */
export const KO_SHARE = 0.8;
/** How often each kind comes up, in tenths (60% punch, 30% kick, 10% special). */
export const ATTACK_WEIGHTS = { punch: 6, kick: 3, special: 1 } as const satisfies Record<AttackKind, number>;

const RAW_MULTIPLIER = { punch: 0.9, kick: 1.1, special: 1.6 } as const satisfies Record<AttackKind, number>;
const MEAN_RAW =
  (ATTACK_WEIGHTS.punch * RAW_MULTIPLIER.punch + ATTACK_WEIGHTS.kick * RAW_MULTIPLIER.kick + ATTACK_WEIGHTS.special * RAW_MULTIPLIER.special) / 10;
/** Per-kind multipliers, normalised so the weighted mean is exactly 1. */
export const KIND_MULTIPLIER: Readonly<Record<AttackKind, number>> = {
  punch: RAW_MULTIPLIER.punch / MEAN_RAW,
  kick: RAW_MULTIPLIER.kick / MEAN_RAW,
  special: RAW_MULTIPLIER.special / MEAN_RAW,
};
export const MIN_DAMAGE = 1;
export const MAX_DAMAGE = MAX_HP / 4;

/** A usable audience estimate from anything: integer, at least MIN_AUDIENCE (NaN and ±Infinity included). */
export function clampAudience(audience: number): number {
  if (!Number.isFinite(audience)) return audience === Infinity ? Number.MAX_SAFE_INTEGER : MIN_AUDIENCE;
  return Math.max(MIN_AUDIENCE, Math.round(audience));
}

/** Damage of one hit of `kind` in a round whose audience estimate is `audience`: an integer in [1, MAX_HP/4]. */
export function damageFor(audience: number, kind: AttackKind): number {
  const base = (MAX_HP / KO_SHARE / clampAudience(audience)) * KIND_MULTIPLIER[kind];
  return Math.min(MAX_DAMAGE, Math.max(MIN_DAMAGE, Math.round(base)));
}

/** The kind of the n-th hit of a round: a pure function of the poll id and n, so replays and clients agree. */
export function attackKindFor(pollId: string, n: number): AttackKind {
  const roll = hash32(`${pollId}#${n}`) % 10;
  if (roll < ATTACK_WEIGHTS.punch) return 'punch';
  if (roll < ATTACK_WEIGHTS.punch + ATTACK_WEIGHTS.kick) return 'kick';
  return 'special';
}

/** Weight of the latest round in the audience estimate. */
export const AUDIENCE_SMOOTHING = 0.3;
/** A round that ended early is extrapolated to a full round, but never more than this factor. */
const MAX_EXTRAPOLATION = 2;

/**
 * The audience estimate for the next round: an exponentially weighted moving average of voters per round.
 *
 * A round that ran its clock counts as observed. One cut short (KO, rotate) is extrapolated to its full length,
 * at most ×2, because a KO after 40 s says the crowd was bigger than the votes it needed. A round rotated before
 * a quarter of its clock ran tells us too little and leaves the estimate as it was.
 */
export function nextAudience(prev: number, result: RoundResult): number {
  const previous = clampAudience(prev);
  const durationMs = result.matchup.durationSec * 1000;
  const ranMs = Math.min(durationMs, Math.max(0, result.finishedAt - result.startedAt));
  const ran = durationMs > 0 ? ranMs / durationMs : 1;
  let observed: number;
  if (result.outcome.reason === 'timeout' || ran >= 1) observed = result.totalVotes;
  else if (result.outcome.reason === 'rotate' && ran < 0.25) return previous;
  else observed = result.totalVotes / Math.max(ran, 1 / MAX_EXTRAPOLATION);
  return clampAudience(previous + AUDIENCE_SMOOTHING * (observed - previous));
}
