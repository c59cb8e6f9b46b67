import { describe, expect, it } from 'vitest';
import { nextPacificMidnight } from './pacific-midnight.ts';

const at = (iso: string) => new Date(nextPacificMidnight(Date.parse(iso))).toISOString();

describe('nextPacificMidnight', () => {
  it('is 07:00 UTC in summer (PDT) and 08:00 UTC in winter (PST)', () => {
    expect(at('2025-07-01T12:00:00Z')).toBe('2025-07-02T07:00:00.000Z');
    expect(at('2025-01-15T10:00:00Z')).toBe('2025-01-16T08:00:00.000Z');
  });

  it('counts from the Pacific date, not the UTC one', () => {
    // 03:00 UTC on the 2nd is still the evening of the 1st in Los Angeles.
    expect(at('2025-07-02T03:00:00Z')).toBe('2025-07-02T07:00:00.000Z');
    // Exactly midnight: the next one, a day later.
    expect(at('2025-07-02T07:00:00Z')).toBe('2025-07-03T07:00:00.000Z');
  });

  it('follows the switches between PST and PDT', () => {
    // 2025-03-09: clocks go forward at 2 am; midnight before is PST, midnight after is PDT.
    expect(at('2025-03-09T09:30:00Z')).toBe('2025-03-10T07:00:00.000Z');
    expect(at('2025-03-08T20:00:00Z')).toBe('2025-03-09T08:00:00.000Z');
    // 2025-11-02: clocks go back at 2 am.
    expect(at('2025-11-02T08:30:00Z')).toBe('2025-11-03T08:00:00.000Z');
    expect(at('2025-11-01T20:00:00Z')).toBe('2025-11-02T07:00:00.000Z');
  });
});
