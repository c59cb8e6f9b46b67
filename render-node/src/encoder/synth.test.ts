import { describe, expect, it } from 'vitest';
import { musicBed, padBed } from './synth.ts';

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
