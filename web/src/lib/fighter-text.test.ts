import { describe, expect, it } from 'vitest';
import { translator } from '@stream-fighter/view/words';
import { recordText, streakText } from './fighter-text.ts';

describe('fighter text', () => {
  it('writes the record W-L-T with the shared number formatter', () => {
    expect(recordText({ wins: 14, losses: 3, ties: 0 }, 'en')).toBe('14-3-0');
    expect(recordText({ wins: 1234, losses: 12_345, ties: 1 }, 'en')).toBe('1,234-12,345-1');
    expect(recordText({ wins: 1234, losses: 12_345, ties: 1 }, 'es')).toBe('1234-12.345-1');
  });

  it('writes wins and losses in a row, in the page language', () => {
    expect(streakText(3, translator('en'), 'en')).toBe('3 W');
    expect(streakText(-2, translator('en'), 'en')).toBe('2 L');
    expect(streakText(-2, translator('es'), 'es')).toBe('2 D');
    expect(streakText(0, translator('en'), 'en')).toBe('–');
  });
});
