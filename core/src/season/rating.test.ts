import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyElo, eloDelta, ELO, expectedScore, replayElo } from './rating.ts';
import type { EloResult, Score } from './rating.ts';

const rating = fc.integer({ min: 0, max: 3000 });
const score = fc.constantFrom<Score>(0, 0.5, 1);
const k = fc.integer({ min: 1, max: 64 });
const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const results = fc.array(
  fc.record({ a: fc.constantFrom(...ids), b: fc.constantFrom(...ids), scoreA: score }),
  { maxLength: 60 },
);
const total = (m: Map<string, number>) => [...m.values()].reduce((s, r) => s + r, 0);

describe('Elo', () => {
  it('is zero-sum, integer and bounded by K', () => {
    fc.assert(
      fc.property(rating, rating, score, k, (ra, rb, s, kk) => {
        const { a, b, delta } = applyElo(ra, rb, s, { k: kk });
        expect(a + b).toBe(ra + rb);
        expect(Number.isInteger(delta)).toBe(true);
        expect(Math.abs(delta)).toBeLessThanOrEqual(kk);
      }),
    );
  });

  it('does not depend on which fighter is passed first', () => {
    fc.assert(
      fc.property(rating, rating, score, (ra, rb, s) => {
        expect(eloDelta(rb, ra, (1 - s) as Score)).toBe(0 - eloDelta(ra, rb, s));
      }),
    );
  });

  it('rewards the winner, punishes the loser, and pays more for an upset', () => {
    fc.assert(
      fc.property(rating, rating, (ra, rb) => {
        expect(eloDelta(ra, rb, 1)).toBeGreaterThanOrEqual(0);
        expect(eloDelta(ra, rb, 0)).toBeLessThanOrEqual(0);
      }),
    );
    expect(eloDelta(1500, 1500, 1)).toBe(16);
    expect(eloDelta(1500, 1500, 0.5)).toBe(0);
    expect(eloDelta(1300, 1700, 1)).toBeGreaterThan(eloDelta(1700, 1300, 1));
    // A draw between unequal fighters moves points to the weaker one.
    expect(eloDelta(1300, 1700, 0.5)).toBeGreaterThan(0);
    expect(expectedScore(1500, 1500)).toBe(0.5);
  });

  it('replays to the same ratings and keeps the total of all ratings', () => {
    fc.assert(
      fc.property(results, (rs) => {
        const once = replayElo(rs);
        expect(replayElo(rs)).toEqual(once);
        const start = new Map(ids.map((id) => [id, ELO.initial]));
        expect(total(replayElo(rs, start))).toBe(ids.length * ELO.initial);
      }),
    );
  });

  it('gives the same ratings when two matches with no fighter in common swap places', () => {
    fc.assert(
      fc.property(results, score, score, fc.nat(), (rs, s1, s2, cut) => {
        const at = rs.length === 0 ? 0 : cut % (rs.length + 1);
        const m1: EloResult = { a: 'x1', b: 'x2', scoreA: s1 };
        const m2: EloResult = { a: 'y1', b: 'y2', scoreA: s2 };
        const before = rs.slice(0, at);
        const after = rs.slice(at);
        expect(replayElo([...before, m1, m2, ...after])).toEqual(replayElo([...before, m2, m1, ...after]));
      }),
    );
  });

  it('shows that matches sharing a fighter do not commute, which is why the finish order is the rule', () => {
    const first: EloResult = { a: 'p', b: 'q', scoreA: 1 };
    const second: EloResult = { a: 'p', b: 'r', scoreA: 0 };
    const start = new Map([['p', 1500], ['q', 1800], ['r', 1500]]);
    expect(replayElo([first, second], start)).not.toEqual(replayElo([second, first], start));
  });

  it('skips a mirror match', () => {
    expect(replayElo([{ a: 'z', b: 'z', scoreA: 1 }])).toEqual(new Map());
  });
});
