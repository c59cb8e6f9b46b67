import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bracketWinner } from './tie-break.ts';
import type { BracketRoundOutcome } from './tie-break.ts';
import type { OptionId } from '../ids.ts';

const round = (winner: OptionId | null, hp: [number, number], votes: [number, number]): BracketRoundOutcome => ({
  outcome: { winner },
  hp: { A: hp[0], B: hp[1] },
  votes: { A: votes[0], B: votes[1] },
});
const sides = { a: 'A', b: 'B' } as const;

describe('bracketWinner', () => {
  it("takes the round's winner when there is one", () => {
    expect(bracketWinner(round('B', [50, 60], [1, 9]), sides, { a: 1, b: 8 })).toEqual({ winner: 'B', by: 'winner' });
  });

  it('breaks a tie by HP share, then votes, then the higher seed', () => {
    expect(bracketWinner(round(null, [500, 400], [1, 9]), sides, { a: 8, b: 1 })).toEqual({ winner: 'A', by: 'hp' });
    expect(bracketWinner(round(null, [500, 500], [3, 9]), sides, { a: 1, b: 8 })).toEqual({ winner: 'B', by: 'votes' });
    expect(bracketWinner(round(null, [500, 500], [9, 9]), sides, { a: 5, b: 4 })).toEqual({ winner: 'B', by: 'seed' });
    expect(bracketWinner(round(null, [500, 500], [9, 9]), sides, { a: 2, b: 7 })).toEqual({ winner: 'A', by: 'seed' });
  });

  it('compares HP as a share of each side’s maximum', () => {
    // 60 of 100 (60 %) beats 100 of 200 (50 %), though 100 > 60.
    expect(bracketWinner(round(null, [60, 100], [0, 0]), sides, { a: 1, b: 2 }, { a: 100, b: 200 })).toEqual({ winner: 'A', by: 'hp' });
  });

  it('always sends exactly one side on, and the same one when the sides are swapped', () => {
    const tally = fc.tuple(fc.nat(100_000), fc.nat(100_000));
    fc.assert(
      fc.property(fc.constantFrom<OptionId | null>('A', 'B', null), tally, fc.tuple(fc.nat(50), fc.nat(50)), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 7 }), (w, hp, votes, s, d) => {
        const seeds = { a: s, b: ((s - 1 + d) % 8) + 1 };
        const r = round(w, hp, votes);
        const first = bracketWinner(r, sides, seeds);
        expect(['A', 'B']).toContain(first.winner);
        expect(bracketWinner(r, { a: 'B', b: 'A' }, { a: seeds.b, b: seeds.a })).toEqual(first);
      }),
    );
  });

  it('refuses a match between equal seeds, which a bracket never has', () => {
    expect(() => bracketWinner(round(null, [1, 1], [1, 1]), sides, { a: 3, b: 3 })).toThrow(RangeError);
  });
});
