import { describe, expect, it } from 'vitest';
import { musicBed, padBed, sfxTables, SFX_KINDS } from './synth.ts';

describe.each([
  ['music', musicBed],
  ['pad', padBed],
] as const)('the %s bed', (_name, make) => {
  it.each([48_000, 44_100])('repeats exactly after its period at %i Hz, so a loop of one period has no seam', (rate) => {
    const bed = make(rate);
    const n = 2_000;
    const first = new Float32Array(2 * n);
    const again = new Float32Array(2 * n);
    // The frames across the loop point: the end of one period and the start of the next.
    bed.render(first, bed.period - n / 2, n);
    bed.render(again, 2 * bed.period - n / 2, n);
    expect(Math.max(...first.map((x) => Math.abs(x)))).toBeGreaterThan(0.001);
    for (let i = 0; i < first.length; i++) expect(again[i]).toBeCloseTo(first[i]!, 4);
  });
});

describe('the sounds', () => {
  it('has a table for every sound the scene can ask for, each finite, audible and ending in silence', () => {
    const tables = sfxTables(48_000);
    expect(Object.keys(tables).sort()).toEqual([...SFX_KINDS].sort());
    for (const kind of SFX_KINDS) {
      const t = tables[kind];
      expect(t.length, kind).toBeGreaterThan(48_000 * 0.1);
      expect(t.every(Number.isFinite), kind).toBe(true);
      expect(Math.max(...t.map(Math.abs)), kind).toBeGreaterThan(0.1);
      // A fade-in of a few ms (a click codes badly in AAC) and a fade-out (no click at the end).
      expect(Math.abs(t[0]!), kind).toBeLessThan(0.05);
      expect(Math.abs(t[t.length - 1]!), kind).toBeLessThan(0.01);
    }
  });
});
