import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { apart, paletteFor, skinFor } from './palette.ts';

const IDS = Object.keys(ARCHETYPES) as ArchetypeId[];

describe('fighter palette', () => {
  it('swaps a trim colour that would vanish on the fighter for the fallback', () => {
    expect(apart('#d94a38', '#da4b39', '#ffffff')).toBe('#ffffff');
    expect(apart('#06d6a0', '#d94a38', '#ffffff')).toBe('#06d6a0');
  });

  it('gives a fighter the same skin every time, from the human tones', () => {
    const tones = new Set(IDS.flatMap((a) => ['#d94a38', '#06d6a0', '#5e3fbe'].map((c) => skinFor(c, a))));
    expect(tones.size).toBeGreaterThan(1);
    for (const t of tones) expect(['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac']).toContain(t);
    expect(skinFor('#d94a38', 'brawler')).toBe(skinFor('#d94a38', 'brawler'));
  });

  it('dresses every archetype in its own colour, with trims apart from it', () => {
    for (const a of IDS) {
      const p = paletteFor(a, '#d94a38');
      expect(p.main).toBe('#d94a38');
      for (const c of Object.values(p)) expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(apart(p.p1, p.main, 'swapped')).not.toBe('swapped');
    }
  });

  it('does not throw on an archetype this build does not know', () => {
    expect(paletteFor('dragon' as ArchetypeId, '#d94a38').p1).toBe('#ffffff');
  });
});
