/**
 * Play-money predictions: balances, stakes and pari-mutuel settlement, in integer points. Pure; the room (or the
 * database) stores what these return.
 *
 * Rules
 * - A viewer starts with POINTS.start. A viewer whose balance is below POINTS.floor, with no bet open, is topped up
 *   to the floor (SaltyBet's bailout): nobody is out of the game for good. The caller checks "no bet open", so a
 *   viewer cannot stake everything and collect a bailout while the stake is still riding.
 * - A stake is a positive safe integer no larger than the balance; anything else is refused with a reason.
 * - The stake leaves the balance when the bet is placed; settlement pays back `payout` (stake included), 0 for a loss.
 * - Settlement: the losing side's stakes are shared among the winning side's bettors in proportion to their
 *   stakes, and every winner gets their own stake back. A tie, a winning side nobody backed or a losing side
 *   nobody backed refunds every stake (nobody can win nothing from nobody).
 * - Rounding: each winner's share of the losers' pool is floored; the points left over (fewer than the number of
 *   winners) go one each to the winners with the largest remainders; equal remainders go to the larger stake, then
 *   to the smaller bettor id (code-unit order), then to the earlier bet. So payouts always add up to the stakes
 *   exactly, and the same bets always settle the same way.
 * - Arithmetic on the pool uses BigInt, so no product of stakes loses precision however large balances grow.
 */
import type { OptionId } from '../ids.ts';

export const POINTS = { start: 1000, floor: 100 } as const;

export type Bet = { bettor: string; option: OptionId; stake: number };

export type StakeRefusal = 'not-an-integer' | 'not-positive' | 'over-balance';
export type StakeCheck = { ok: true; stake: number } | { ok: false; reason: StakeRefusal };

export function validateStake(stake: unknown, balance: number): StakeCheck {
  if (typeof stake !== 'number' || !Number.isSafeInteger(stake)) return { ok: false, reason: 'not-an-integer' };
  if (stake <= 0) return { ok: false, reason: 'not-positive' };
  if (stake > balance) return { ok: false, reason: 'over-balance' };
  return { ok: true, stake };
}

/** The balance after a bailout (if due) and how many points it granted. Call only when the viewer has no open bet. */
export function bailout(balance: number, floor: number = POINTS.floor): { balance: number; granted: number } {
  return balance < floor ? { balance: floor, granted: floor - balance } : { balance, granted: 0 };
}

export type Payout = Bet & { payout: number; net: number };
export type Settlement =
  | { kind: 'paid'; payouts: Payout[] }
  | { kind: 'refund'; reason: 'tie' | 'no-winners' | 'no-losers' | 'no-bets'; payouts: Payout[] };

/** What each bet pays back (same order as `bets`), for the round's winner (null: a tie). */
export function settle(bets: readonly Bet[], winner: OptionId | null): Settlement {
  for (const b of bets) {
    if (!Number.isSafeInteger(b.stake) || b.stake <= 0) throw new RangeError(`bad stake ${b.stake} for ${b.bettor}: stakes are validated when placed`);
  }
  const refund = (reason: 'tie' | 'no-winners' | 'no-losers' | 'no-bets'): Settlement => ({
    kind: 'refund',
    reason,
    payouts: bets.map((b) => ({ ...b, payout: b.stake, net: 0 })),
  });
  if (bets.length === 0) return refund('no-bets');
  if (winner === null) return refund('tie');
  const won = bets.filter((b) => b.option === winner);
  if (won.length === 0) return refund('no-winners');
  if (won.length === bets.length) return refund('no-losers');

  const sum = (list: readonly Bet[]) => list.reduce((s, b) => s + BigInt(b.stake), 0n);
  const winPool = sum(won);
  const losePool = sum(bets.filter((b) => b.option !== winner));
  const shares = new Map<number, { share: bigint; rem: bigint }>();
  let handedOut = 0n;
  bets.forEach((b, i) => {
    if (b.option !== winner) return;
    const num = losePool * BigInt(b.stake);
    const share = num / winPool;
    shares.set(i, { share, rem: num % winPool });
    handedOut += share;
  });
  // Largest remainder, with the stated tie-break, for the points the floors left over.
  let leftover = Number(losePool - handedOut);
  const order = [...shares.keys()].sort((i, j) => {
    const x = shares.get(i) as { rem: bigint };
    const y = shares.get(j) as { rem: bigint };
    const bi = bets[i] as Bet;
    const bj = bets[j] as Bet;
    if (x.rem !== y.rem) return x.rem > y.rem ? -1 : 1;
    if (bi.stake !== bj.stake) return bj.stake - bi.stake;
    if (bi.bettor !== bj.bettor) return bi.bettor < bj.bettor ? -1 : 1;
    return i - j;
  });
  const bonus = new Set<number>();
  for (const i of order) {
    if (leftover <= 0) break;
    bonus.add(i);
    leftover--;
  }
  return {
    kind: 'paid',
    payouts: bets.map((b, i) => {
      const s = shares.get(i);
      if (!s) return { ...b, payout: 0, net: -b.stake };
      const gain = Number(s.share) + (bonus.has(i) ? 1 : 0);
      return { ...b, payout: b.stake + gain, net: gain };
    }),
  };
}

export type OddsSide = {
  option: OptionId;
  pool: number;
  bettors: number;
  /** What one point staked here returns if this side wins (before rounding), or null while nobody backs it. */
  multiplier: number | null;
};
export type Odds = { total: number; sides: OddsSide[] };

/** The live odds for display: pools per side and what a point returns. */
export function liveOdds(bets: readonly Bet[], options: readonly OptionId[] = ['A', 'B']): Odds {
  const total = bets.reduce((s, b) => s + b.stake, 0);
  const sides = options.map((option) => {
    const mine = bets.filter((b) => b.option === option);
    const pool = mine.reduce((s, b) => s + b.stake, 0);
    // A side that would win with nobody against it is refunded: one point returns one.
    const multiplier = pool === 0 ? null : pool === total ? 1 : total / pool;
    return { option, pool, bettors: mine.length, multiplier };
  });
  return { total, sides };
}
