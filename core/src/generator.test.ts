import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Matchup, ROUND_SECONDS } from './matchup.ts';
import { generateMatchup, pollIdFor } from './generator.ts';
import { ARCHETYPES } from './roster.ts';

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

describe('generateMatchup in the language of the stream', () => {
  const englishOnly = new Set(Object.values(ARCHETYPES).flatMap((a) => [...a.taglines, a.moves.punch, a.moves.kick, a.moves.special]));

  it('writes taglines, moves and headlines in Spanish when asked, for the same fighters and stage', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 2, max: 4 }), (seed, options) => {
        const en = generateMatchup(seed, { options });
        const es = generateMatchup(seed, { options, lang: 'es' });
        expect(Matchup.parse(es)).toEqual(es);
        expect(es.stage).toBe(en.stage);
        expect(es.options.map((o) => [o.fighter.name, o.fighter.archetype, o.fighter.color])).toEqual(en.options.map((o) => [o.fighter.name, o.fighter.archetype, o.fighter.color]));
        for (const o of es.options) {
          expect(englishOnly.has(o.fighter.tagline), o.fighter.tagline).toBe(false);
          // The luchador's punch is Spanish in both languages; every other move has its own Spanish name.
          if (o.fighter.archetype !== 'luchador') expect(englishOnly.has(o.fighter.moves.special), o.fighter.moves.special).toBe(false);
        }
        for (const line of es.headlines) expect(line).not.toMatch(/Live from|Bookmakers|who lands first|sold out|takes on/);
        expect(es.headlines.length).toBeGreaterThanOrEqual(2);
      }),
    );
  });

  it('keeps English the default, word for word', () => {
    for (const seed of [1, 'x', 99]) expect(generateMatchup(seed, { lang: 'en' })).toEqual(generateMatchup(seed));
    const es = generateMatchup(3, { lang: 'es' });
    expect(es.headlines.join(' ')).toMatch(/En directo desde|Las apuestas|de .+ contra|entradas agotadas|«/);
    // A crowded poll whose names do not fit the title gets a title in the language too.
    const crowded = Array.from({ length: 200 }, (_, i) => generateMatchup(i, { options: 4, lang: 'es' })).find((m) => !m.title.includes(' vs '));
    if (crowded) expect(crowded.title).toMatch(/^Pelea de 4: /);
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
