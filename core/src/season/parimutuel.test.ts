import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bailout, liveOdds, POINTS, settle, validateStake } from './parimutuel.ts';
import type { Bet } from './parimutuel.ts';
import type { OptionId } from '../ids.ts';

const bet = (bettor: string, option: OptionId, stake: number): Bet => ({ bettor, option, stake });
const betsArb = fc.array(
  fc.record({
    bettor: fc.string({ minLength: 1, maxLength: 3 }),
    option: fc.constantFrom<OptionId>('A', 'B'),
    stake: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 1024) })),
  }),
  { maxLength: 40 },
);
const winnerArb = fc.constantFrom<OptionId | null>('A', 'B', null);
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

describe('settle', () => {
  it('shares the losers’ pool in proportion to stake and returns the winners’ stakes', () => {
    const s = settle([bet('ann', 'A', 100), bet('bob', 'A', 300), bet('cy', 'B', 200)], 'A');
    expect(s.kind).toBe('paid');
    expect(s.payouts.map((p) => [p.bettor, p.payout, p.net])).toEqual([
      ['ann', 150, 50],
      ['bob', 450, 150],
      ['cy', 0, -200],
    ]);
  });

  it('hands the points the floors leave over to the largest remainders, then the larger stake, then the smaller id', () => {
    // 10 shared by three equal stakes: 3 each, one left over; equal remainders and stakes → smallest bettor id.
    const s = settle([bet('zed', 'A', 1), bet('amy', 'A', 1), bet('max', 'A', 1), bet('l', 'B', 10)], 'A');
    expect(s.payouts.map((p) => p.net)).toEqual([3, 4, 3, -10]);
    // 5 shared 2:1 → 3.33 and 1.67: floors 3 and 1, the larger remainder (the 1-stake's .67) gets the point.
    const t = settle([bet('big', 'A', 2), bet('small', 'A', 1), bet('l', 'B', 5)], 'A');
    expect(t.payouts.map((p) => p.net)).toEqual([3, 2, -5]);
  });

  it('refunds everyone on a tie, with nobody on the winning side, or nobody on the losing side', () => {
    const bets = [bet('a', 'A', 5), bet('b', 'B', 7)];
    expect(settle(bets, null)).toMatchObject({ kind: 'refund', reason: 'tie' });
    expect(settle([bet('a', 'A', 5)], 'B')).toMatchObject({ kind: 'refund', reason: 'no-winners' });
    expect(settle([bet('a', 'A', 5), bet('b', 'A', 1)], 'A')).toMatchObject({ kind: 'refund', reason: 'no-losers' });
    expect(settle([], 'A')).toMatchObject({ kind: 'refund', reason: 'no-bets', payouts: [] });
    for (const p of settle(bets, null).payouts) expect([p.payout, p.net]).toEqual([p.stake, 0]);
  });

  it('conserves points for any bets: payouts add up to the stakes exactly', () => {
    fc.assert(
      fc.property(betsArb, winnerArb, (bets, winner) => {
        const { payouts } = settle(bets, winner);
        expect(sum(payouts.map((p) => p.payout))).toBe(sum(bets.map((b) => b.stake)));
        expect(sum(payouts.map((p) => p.net))).toBe(0);
        for (const p of payouts) {
          expect(Number.isSafeInteger(p.payout)).toBe(true);
          expect(p.payout).toBeGreaterThanOrEqual(0);
          if (p.option === winner && p.payout > 0) expect(p.payout).toBeGreaterThanOrEqual(p.stake);
        }
      }),
    );
  });

  it('is a pure function: the same bets settle the same way, in any order', () => {
    fc.assert(
      fc.property(betsArb, winnerArb, (bets, winner) => {
        const once = settle(bets, winner);
        expect(settle(JSON.parse(JSON.stringify(bets)) as Bet[], winner)).toEqual(once);
        const reversed = settle([...bets].reverse(), winner).payouts.reverse();
        expect(reversed).toEqual(once.payouts);
      }),
    );
  });

  it('gives a winner a payout within one point of the exact proportional share', () => {
    fc.assert(
      fc.property(betsArb, (bets) => {
        const s = settle(bets, 'A');
        if (s.kind !== 'paid') return;
        const win = sum(bets.filter((b) => b.option === 'A').map((b) => b.stake));
        const lose = sum(bets.filter((b) => b.option !== 'A').map((b) => b.stake));
        for (const p of s.payouts.filter((q) => q.option === 'A')) expect(Math.abs(p.net - (lose * p.stake) / win)).toBeLessThan(1 + 1e-6 * lose);
      }),
    );
  });

  it('refuses a bad stake at settlement: stakes are validated when placed', () => {
    expect(() => settle([bet('a', 'A', 0), bet('b', 'B', 1)], 'A')).toThrow(RangeError);
    expect(() => settle([bet('a', 'A', 1.5), bet('b', 'B', 1)], 'A')).toThrow(RangeError);
  });
});

describe('stakes and balances', () => {
  it('accepts a positive integer up to the balance and refuses the rest with a reason', () => {
    expect(validateStake(50, 50)).toEqual({ ok: true, stake: 50 });
    expect(validateStake(51, 50)).toEqual({ ok: false, reason: 'over-balance' });
    expect(validateStake(0, 50)).toEqual({ ok: false, reason: 'not-positive' });
    expect(validateStake(-3, 50)).toEqual({ ok: false, reason: 'not-positive' });
    for (const bad of [1.5, Number.NaN, Infinity, '10', null, undefined, 2 ** 60]) expect(validateStake(bad, 1e18)).toEqual({ ok: false, reason: 'not-an-integer' });
  });

  it('bails a broke viewer out to the floor and leaves everyone else alone', () => {
    expect(bailout(0)).toEqual({ balance: POINTS.floor, granted: POINTS.floor });
    expect(bailout(30)).toEqual({ balance: POINTS.floor, granted: POINTS.floor - 30 });
    expect(bailout(POINTS.floor)).toEqual({ balance: POINTS.floor, granted: 0 });
    expect(bailout(5000)).toEqual({ balance: 5000, granted: 0 });
  });

  it('never lets a balance go below zero, and every point is accounted for, over any season of bets', () => {
    const viewers = ['v0', 'v1', 'v2', 'v3', 'v4'];
    const roundArb = fc.record({
      wants: fc.array(fc.record({ viewer: fc.constantFrom(...viewers), option: fc.constantFrom<OptionId>('A', 'B'), stake: fc.integer({ min: -5, max: 3000 }) }), { maxLength: 8 }),
      winner: winnerArb,
    });
    fc.assert(
      fc.property(fc.array(roundArb, { maxLength: 30 }), (rounds) => {
        const balances = new Map(viewers.map((v) => [v, POINTS.start as number]));
        let granted = 0;
        for (const { wants, winner } of rounds) {
          const bets: Bet[] = [];
          for (const w of wants) {
            if (bets.some((b) => b.bettor === w.viewer)) continue; // one bet per viewer per round
            const check = validateStake(w.stake, balances.get(w.viewer) as number);
            if (!check.ok) continue;
            balances.set(w.viewer, (balances.get(w.viewer) as number) - check.stake);
            bets.push({ bettor: w.viewer, option: w.option, stake: check.stake });
          }
          for (const p of settle(bets, winner).payouts) balances.set(p.bettor, (balances.get(p.bettor) as number) + p.payout);
          for (const v of viewers) {
            const b = bailout(balances.get(v) as number);
            balances.set(v, b.balance);
            granted += b.granted;
          }
          for (const b of balances.values()) expect(b).toBeGreaterThanOrEqual(0);
          expect(sum([...balances.values()])).toBe(viewers.length * POINTS.start + granted);
        }
      }),
    );
  });
});

describe('liveOdds', () => {
  it('shows each side’s pool, bettors and what a point returns', () => {
    expect(liveOdds([bet('a', 'A', 300), bet('b', 'B', 100), bet('c', 'B', 200)])).toEqual({
      total: 600,
      sides: [
        { option: 'A', pool: 300, bettors: 1, multiplier: 2 },
        { option: 'B', pool: 300, bettors: 2, multiplier: 2 },
      ],
    });
    expect(liveOdds([bet('a', 'A', 10)]).sides).toEqual([
      { option: 'A', pool: 10, bettors: 1, multiplier: 1 },
      { option: 'B', pool: 0, bettors: 0, multiplier: null },
    ]);
  });
});
