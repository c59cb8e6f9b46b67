import { describe, expect, it } from 'vitest';
import { LANGS } from '@stream-fighter/view/languages';
import { SCREEN_WORDS, tr } from './screen-words.ts';

describe('screen words', () => {
  it('has every on-screen word in English and Spanish', () => {
    for (const lang of LANGS) for (const word of SCREEN_WORDS) expect(tr(lang, word).length, `${lang} ${word}`).toBeGreaterThan(0);
  });

  it('fills in variables and shouts the cards', () => {
    expect(tr('en', 'wins', { name: 'Zorg' })).toBe('ZORG WINS!');
    expect(tr('es', 'wins', { name: 'Zorg' })).toBe('¡GANA ZORG!');
    expect(tr('es', 'getReady')).toBe('PREPÁRATE');
    expect(tr('en', 'voteAt', { url: 'sf.example' })).toBe('Every vote is a hit! Vote at sf.example');
    expect(tr('en', 'chatHint', { commands: '!a / !b' })).toBe('or type !a / !b in chat');
    expect(tr('es', 'chatHint', { commands: '!a–!d' })).toBe('o escribe !a–!d en el chat');
  });

  it('says what the site says, in capitals', () => {
    expect(tr('es', 'live')).toBe('EN DIRECTO');
    expect(tr('es', 'roundOver')).toBe('FIN DE LA RONDA');
  });
});
