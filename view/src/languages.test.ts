import { describe, expect, it } from 'vitest';
import { isLang, otherLang, pickLang } from './languages.ts';

describe('languages', () => {
  it('picks the first supported language from a preference list, else English', () => {
    expect(pickLang(['de-DE', 'es-ES', 'en'])).toBe('es');
    expect(pickLang(['ES_mx'])).toBe('es');
    expect(pickLang(['fr', 'de'])).toBe('en');
    expect(pickLang([])).toBe('en');
  });

  it('knows its languages and the other one', () => {
    expect(isLang('es')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(null)).toBe(false);
    expect(otherLang('en')).toBe('es');
    expect(otherLang('es')).toBe('en');
  });
});
