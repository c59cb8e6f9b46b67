import { describe, it, expect } from 'vitest';
import { ARCHETYPE_IDS, STAGE_IDS } from './ids.ts';
import { Fighter } from './matchup.ts';
import { ARCHETYPES, STAGES } from './roster.ts';

const HEX = /^#[0-9a-f]{6}$/i;

describe('ARCHETYPES', () => {
  it('covers every archetype id with usable display defaults', () => {
    expect(Object.keys(ARCHETYPES).sort()).toEqual([...ARCHETYPE_IDS].sort());
    for (const id of ARCHETYPE_IDS) {
      const a = ARCHETYPES[id];
      expect(a.id).toBe(id);
      expect(a.label.en.length * a.label.es.length).toBeGreaterThan(0);
      expect(a.palette.length).toBeGreaterThan(0);
      for (const c of a.palette) expect(c).toMatch(HEX);
      for (const first of a.names.first)
        for (const last of a.names.last)
          for (const tagline of a.taglines) Fighter.parse({ name: `${first} ${last}`, archetype: id, color: a.palette[0], tagline, moves: a.moves });
    }
  });

  it('gives each archetype its own last names, so fighters of different archetypes never share a name', () => {
    const all = ARCHETYPE_IDS.flatMap((id) => ARCHETYPES[id].names.last);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('STAGES', () => {
  it('covers every stage id with names in English and Spanish and sky/ground colours', () => {
    expect(Object.keys(STAGES).sort()).toEqual([...STAGE_IDS].sort());
    for (const id of STAGE_IDS) {
      const s = STAGES[id];
      expect(s.id).toBe(id);
      expect(s.name.en.length).toBeGreaterThan(0);
      expect(s.name.es.length).toBeGreaterThan(0);
      expect(s.sky).toMatch(HEX);
      expect(s.ground).toMatch(HEX);
    }
  });
});
