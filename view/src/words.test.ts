import { describe, expect, it } from 'vitest';
import { LANGS } from './languages.ts';
import { EN } from './words-en.ts';
import { dictionary, isWordKey, translator } from './words.ts';

describe('the words', () => {
  it('has every word in every language, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of LANGS) {
      const words = dictionary(lang);
      expect(Object.keys(words).sort(), lang).toEqual(Object.keys(EN).sort());
      for (const key of Object.keys(EN)) {
        if (!isWordKey(key)) throw new Error(key);
        expect(words[key].trim().length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(placeholders(words[key]), `${lang} ${key}`).toEqual(placeholders(EN[key]));
      }
    }
  });

  it('fills in placeholders and leaves one without a value as written', () => {
    expect(translator('en')('round.winner', { name: 'Zorg' })).toBe('Zorg wins!');
    expect(translator('es')('round.winner', { name: 'Zorg' })).toBe('¡Gana Zorg!');
    expect(translator('en')('round.upNext', {})).toBe('Up next: {title}');
    expect(translator('en')('round.votes', { n: '1,234' })).toBe('1,234 votes');
  });

  it('knows its keys', () => {
    expect(isWordKey('vote.heading')).toBe(true);
    expect(isWordKey('toString')).toBe(false);
    expect(isWordKey(undefined)).toBe(false);
  });
});
