import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Matchup, ROUND_SECONDS } from './matchup.ts';
import { generateMatchup, pollIdFor } from './generator.ts';

const seedArb = fc.oneof(fc.integer(), fc.string(), fc.double());
const optsArb = fc.record(
  { options: fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double()), durationSec: fc.oneof(fc.integer(), fc.double()) },
  { requiredKeys: [] },
);

describe('generateMatchup', () => {
  it('always returns a schema-valid matchup, deterministically', () => {
    fc.assert(
      fc.property(seedArb, optsArb, (seed, opts) => {
        const m = generateMatchup(seed, opts);
        expect(Matchup.parse(m)).toEqual(m);
        expect(generateMatchup(seed, opts)).toEqual(m);
        expect(m.source).toBe('builtin');
        expect(m.headlines.length).toBeGreaterThanOrEqual(2);
        expect(m.headlines.length).toBeLessThanOrEqual(3);
      }),
    );
  });

  it('puts different fighters, of different archetypes, in every matchup', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 2, max: 4 }), (seed, options) => {
        const m = generateMatchup(seed, { options });
        expect(m.options.map((o) => o.id)).toEqual(['A', 'B', 'C', 'D'].slice(0, options));
        const names = m.options.map((o) => o.fighter.name);
        expect(new Set(names).size).toBe(options);
        expect(new Set(m.options.map((o) => o.fighter.archetype)).size).toBe(options);
      }),
    );
  });

  it('titles a fight "Name vs Name" and applies the defaults and clamps', () => {
    const m = generateMatchup(7);
    expect(m.options).toHaveLength(2);
    expect(m.title).toBe(`${m.options[0]!.fighter.name} vs ${m.options[1]!.fighter.name}`);
    expect(m.durationSec).toBe(ROUND_SECONDS.default);
    expect(generateMatchup(7, { durationSec: 1 }).durationSec).toBe(ROUND_SECONDS.min);
    expect(generateMatchup(7, { durationSec: 99_999 }).durationSec).toBe(ROUND_SECONDS.max);
    expect(generateMatchup(7, { options: 9 }).options).toHaveLength(4);
    expect(generateMatchup(7, { options: 0 }).options).toHaveLength(2);
  });

  it('varies with the seed', () => {
    const titles = new Set(Array.from({ length: 50 }, (_, i) => generateMatchup(i).title));
    const stages = new Set(Array.from({ length: 50 }, (_, i) => generateMatchup(i).stage));
    expect(titles.size).toBeGreaterThan(40);
    expect(stages.size).toBeGreaterThan(3);
  });
});

describe('pollIdFor', () => {
  it('is short, stable and fits a RoundState pollId', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const id = pollIdFor(seed);
        expect(id).toMatch(/^p_[0-9a-z]{11}$/);
        expect(pollIdFor(seed)).toBe(id);
      }),
    );
    expect(pollIdFor(42)).toBe(pollIdFor('42'));
  });

  it('does not collide over many consecutive seeds', () => {
    const ids = new Set(Array.from({ length: 50_000 }, (_, i) => pollIdFor(i)));
    expect(ids.size).toBe(50_000);
  });
});
