import { describe, expect, it } from 'vitest';
import { hex, luminance, onDark, rgb, shade } from './color.ts';

describe('colour helpers', () => {
  it('reads and writes #rrggbb, clamping and rounding channels', () => {
    expect(rgb('#d94a38')).toEqual([0xd9, 0x4a, 0x38]);
    expect(hex(rgb('#06d6a0'))).toBe('#06d6a0');
    expect(hex([300, -5, 127.6])).toBe('#ff0080');
  });

  it('lightens toward white above 1 and darkens toward black below', () => {
    expect(shade('#804020', 1)).toBe('#804020');
    expect(shade('#804020', 2)).toBe('#ffffff');
    expect(shade('#804020', 0)).toBe('#000000');
    expect(shade('#804020', 0.5)).toBe('#402010');
    expect(luminance(shade('#804020', 1.3))).toBeGreaterThan(luminance('#804020'));
  });

  it('lifts only colours too dark to read on the dark stage', () => {
    expect(onDark('#ffd60a')).toBe('#ffd60a');
    const navy = '#101040';
    expect(luminance(onDark(navy))).toBeGreaterThan(luminance(navy));
  });
});
