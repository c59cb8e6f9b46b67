import { describe, expect, it } from 'vitest';
import { formatClock, formatNumber } from './format.ts';

describe('formatNumber', () => {
  it('groups thousands per language', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'es')).toBe('12.345');
    // Spanish leaves four digits alone.
    expect(formatNumber(1234, 'es')).toBe('1234');
  });

  it('formats numbers exactly as Intl.NumberFormat does, without loading it', () => {
    const values = [0, 1, 7, 12, 999, 1000, 1234, 9999, 10000, 12345, 99999, 100000, 123456, 1234567, 12345678, 1e9 + 7];
    values.push(-1, -1234, -12345, 0.5, 1.25, 33.333333, 66.6667, 1234.5, 12345.678, 0.0004, 99.9999, 2.5e-7);
    for (const n of values) {
      expect(formatNumber(n, 'en'), String(n)).toBe(new Intl.NumberFormat('en-US').format(n));
      expect(formatNumber(n, 'es'), String(n)).toBe(new Intl.NumberFormat('es-ES').format(n));
    }
  });
});

describe('formatClock', () => {
  it('writes m:ss, rounded up, and stops at 0:00', () => {
    expect(formatClock(180_000)).toBe('3:00');
    expect(formatClock(59_001)).toBe('1:00');
    expect(formatClock(9_000)).toBe('0:09');
    expect(formatClock(1)).toBe('0:01');
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(-5_000)).toBe('0:00');
  });
});
