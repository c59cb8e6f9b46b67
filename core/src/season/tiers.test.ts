import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignTiers, tierDistance, tierForRank, RANKED_TIERS } from './tiers.ts';
import type { Rated } from './tiers.ts';

const field = (ratings: number[], fights = 10): Rated[] => ratings.map((rating, i) => ({ id: `f${i}`, rating, fights }));

describe('tiers', () => {
  it('splits a field of 10 distinct ratings 1 S, 2 A, 4 B, 3 C', () => {
    const tiers = assignTiers(field([1900, 1800, 1700, 1600, 1550, 1500, 1450, 1400, 1300, 1200]));
    expect([...tiers.values()].join('')).toBe('SAABBBBCCC');
  });

  it('puts fighters with fewer than minFights fights in N, outside everyone else’s percentile', () => {
    const fighters = [...field([1600, 1500]), { id: 'rookie', rating: 9999, fights: 4 }];
    const tiers = assignTiers(fighters);
    expect(tiers.get('rookie')).toBe('N');
    expect(tiers.get('f0')).toBe('S');
    expect(assignTiers(fighters, { minFights: 4 }).get('rookie')).toBe('S');
  });

  it('gives equal ratings the same tier and never ranks a higher rating below a lower one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1000, max: 2000 }), { minLength: 1, maxLength: 40 }), (ratings) => {
        const list = field(ratings);
        const tiers = assignTiers(list);
        for (const x of list) {
          for (const y of list) {
            const tx = RANKED_TIERS.indexOf(tiers.get(x.id) as 'S');
            const ty = RANKED_TIERS.indexOf(tiers.get(y.id) as 'S');
            if (x.rating === y.rating) expect(tx).toBe(ty);
            if (x.rating > y.rating) expect(tx).toBeLessThanOrEqual(ty);
          }
        }
      }),
    );
  });

  it('measures retired fighters against the active field without taking a place in it', () => {
    const fighters = [...field([1600, 1500, 1400, 1300, 1200, 1100, 1000, 900, 800, 700]), { id: 'old', rating: 2000, fights: 30, retired: true }];
    const tiers = assignTiers(fighters);
    expect(tiers.get('old')).toBe('S');
    expect(tiers.get('f0')).toBe('S');
  });

  it('knows its neighbours; N sits with B', () => {
    expect(tierDistance('S', 'A')).toBe(1);
    expect(tierDistance('S', 'B')).toBe(2);
    expect(tierDistance('N', 'B')).toBe(0);
    expect(tierDistance('N', 'A')).toBe(1);
    expect(tierDistance('N', 'S')).toBe(2);
    expect(tierForRank(0, 1)).toBe('S');
    expect(tierForRank(9, 100)).toBe('S');
    expect(tierForRank(10, 100)).toBe('A');
    expect(tierForRank(30, 100)).toBe('B');
    expect(tierForRank(70, 100)).toBe('C');
  });
});
