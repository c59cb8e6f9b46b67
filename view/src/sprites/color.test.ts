import { describe, expect, it } from 'vitest';
import { capLight, contrast, hex, HIGHLIGHT_MAX, luminance, onDark, relativeLuminance, rgb, shade } from './color.ts';

describe('colour helpers', () => {
  it('reads and writes #rrggbb, clamping and rounding channels', () => {
    expect(rgb('#d94a38')).toEqual([0xd9, 0x4a, 0x38]);
    expect(hex(rgb('#06d6a0'))).toBe('#06d6a0');
    expect(hex([300, -5, 127.6])).toBe('#ff0080');
  });

  it('lightens toward white above 1 and darkens toward black below', () => {
    expect(shade('#804020', 1)).toBe('#804020');
    // Highlights stop at HIGHLIGHT_MAX instead of reaching white; a colour already lighter is left as it is.
    expect(luminance(shade('#804020', 2))).toBeCloseTo(HIGHLIGHT_MAX, 2);
    expect(shade('#f0f0f0', 1.5)).toBe('#f0f0f0');
    expect(shade('#804020', 0)).toBe('#000000');
    expect(shade('#804020', 0.5)).toBe('#402010');
    expect(luminance(shade('#804020', 1.3))).toBeGreaterThan(luminance('#804020'));
  });

  it('darkens a near-white to a drawable light colour, keeping its hue', () => {
    expect(capLight('#804020', 0.78)).toBe('#804020');
    const c = capLight('#fefae0', 0.78);
    expect(luminance(c)).toBeLessThanOrEqual(0.781);
    expect(rgb(c)[2]).toBeLessThan(rgb(c)[0]);
  });

  it('measures WCAG contrast', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 5);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('lifts only colours too dark to read on the dark stage', () => {
    expect(onDark('#ffd60a')).toBe('#ffd60a');
    const navy = '#101040';
    expect(luminance(onDark(navy))).toBeGreaterThan(luminance(navy));
  });
});
