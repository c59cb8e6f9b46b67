import { describe, expect, it } from 'vitest';
import { STAGE_IDS } from '@stream-fighter/core';
import { TEXT_KEYS, formatNumber, rawText, stageName, tr, votesLabel } from './i18n.ts';

describe('i18n', () => {
  it('has every on-screen word in English and Spanish', () => {
    for (const key of TEXT_KEYS) {
      expect(rawText('en', key).length, key).toBeGreaterThan(0);
      expect(rawText('es', key).length, key).toBeGreaterThan(0);
    }
    for (const s of STAGE_IDS) expect(stageName('es', s)).not.toBe('');
  });

  it('fills in variables and formats numbers per language', () => {
    expect(tr('en', 'wins', { name: 'ZORG' })).toBe('ZORG WINS!');
    expect(tr('es', 'wins', { name: 'ZORG' })).toBe('¡GANA ZORG!');
    expect(votesLabel('en', 1)).toBe('1 vote');
    expect(votesLabel('es', 12345)).toBe(`${formatNumber('es', 12345)} votos`);
    expect(formatNumber('en', 12345)).toBe('12,345');
  });

  it('formats numbers exactly as Intl.NumberFormat does, without loading it', () => {
    const values = [0, 1, 7, 12, 999, 1000, 1234, 9999, 10000, 12345, 99999, 100000, 123456, 1234567, 12345678, 1e9 + 7];
    values.push(-1, -1234, -12345, 0.5, 1.25, 33.333333, 66.6667, 1234.5, 12345.678, 0.0004, 99.9999, 2.5e-7);
    for (const n of values) {
      expect(formatNumber('en', n), String(n)).toBe(new Intl.NumberFormat('en-US').format(n));
      expect(formatNumber('es', n), String(n)).toBe(new Intl.NumberFormat('es-ES').format(n));
    }
  });
});
