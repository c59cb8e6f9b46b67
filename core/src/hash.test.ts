import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fnv1a32, hash32 } from './hash.ts';
import { mulberry32, pick, randInt, shuffled } from './prng.ts';

describe('fnv1a32', () => {
  it('matches the reference FNV-1a 32-bit vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives unsigned 32-bit integers, and hash32 spreads neighbouring keys', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(hash32(s) >>> 0).toBe(hash32(s));
        expect(fnv1a32(s) >>> 0).toBe(fnv1a32(s));
      }),
    );
    const lowDigits = new Set(Array.from({ length: 100 }, (_, i) => hash32(`id#${i}`) % 10));
    expect(lowDigits.size).toBe(10);
  });
});

describe('mulberry32', () => {
  it('is deterministic per seed and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBe(b());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  it('helpers stay in range and shuffle without losing or mutating items', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { minLength: 1 }), (seed, items) => {
        const rng = mulberry32(seed);
        const frozen = Object.freeze([...items]);
        expect(items).toContain(pick(rng, frozen));
        const n = randInt(rng, 2, 4);
        expect([2, 3, 4]).toContain(n);
        expect([...shuffled(rng, frozen)].sort()).toEqual([...items].sort());
      }),
    );
    expect(() => pick(mulberry32(1), [])).toThrow();
  });
});
