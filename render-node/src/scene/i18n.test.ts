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
});
