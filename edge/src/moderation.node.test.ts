import { describe, expect, it } from 'vitest';
import { normalise, screenText } from './moderation.ts';

const refused = (text: string, blocklist: string[] = []) => {
  const verdict = screenText(text, blocklist);
  return verdict.ok ? null : verdict.reason;
};

describe('screenText: links and handles in any spelling', () => {
  const links: Array<[string, string]> = [
    ['plain', 'visit evil.com now'],
    ['scheme', 'https://spam.example'],
    ['www', 'go to www.evil'],
    ['spaces around the dot', 'evil . com'],
    ['space before the dot', 'evil .com'],
    ['bracketed dot', 'evil[.]com'],
    ['parenthesised dot', 'evil(.)com'],
    ['the word dot', 'evil dot com'],
    ['bracketed word dot', 'evil(dot)com'],
    ['bracketed word dot, spaced', 'evil [dot] com'],
    ['ideographic full stop', 'evil。com'],
    ['halfwidth ideographic full stop', 'evil｡com'],
    ['fullwidth letters and dot', 'ｅｖｉｌ．ｃｏｍ'],
    ['one dot leader', 'evil․com'],
    ['Cyrillic look-alikes', 'еvil.соm'],
    ['Greek look-alikes', 'εvil.cοm'],
    ['mathematical letters', '𝐞𝐯𝐢𝐥.𝐜𝐨𝐦'],
    ['spaced letters', 'e v i l . c o m'],
    ['spaced letters, no spaced dot', 'e v i l.c o m'],
    ['zalgo on a link', 'e̷v̸i̵l̶.c̴o̵m̵'],
    ['a discord invite', 'join discord.gg/abc'],
    ['a country-code domain', 'see evil.de for more'],
    ['a scheme, spaced', 'h t t p s : / / x'],
  ];
  it.each(links)('refuses a link: %s (%s)', (_name, text) => {
    expect(refused(text)).toMatch(/link/);
  });

  const handles: Array<[string, string]> = [
    ['plain', 'follow @bob'],
    ['fullwidth at', '＠bob'],
    ['small commercial at', '﹫bob'],
    ['at then space', 'follow @ bob'],
    ['email', 'mail bob@evil.com'],
    ['bracketed at', 'bob [at] evil [dot] com'],
  ];
  it.each(handles)('refuses a handle or email: %s (%s)', (_name, text) => {
    expect(refused(text)).toMatch(/link|mention|handle|e-?mail/);
  });

  it('refuses stacked combining marks (zalgo), even without a link', () => {
    expect(refused('he\u0301\u0302\u0303\u0304llo')).toMatch(/accent|mark/);
    expect(refused('Z̸̢̛̤͉̈́a̵̡͙̐l̴̰̈g̷̱̓ö̷̮́')).toMatch(/accent|mark/);
  });

  it('lets normal messages through, in English, Spanish, Vietnamese and Japanese', () => {
    for (const text of [
      'Go Taco!',
      'Iron Mara all the way. Come on!',
      '¡Vamos Ramen! Qué pelea tan buena.',
      'Tiếng Việt: cố lên!',
      '日本語でこんにちは。がんばれ！',
      'Nice hit. Net result: KO',
      'GG. 10/10 would watch again',
      'e.g. punch first, i.e. win',
      '3.5 seconds left',
      'Привет из Москвы',
    ]) {
      expect(refused(text), text).toBeNull();
    }
  });
});

describe('screenText: block list', () => {
  it('refuses the built-in words in disguise, and not the words that merely contain them', () => {
    expect(refused('you cunt')).toMatch(/filter/);
    expect(refused('you с u n t')).toMatch(/filter/); // Cyrillic с, spaced
    expect(refused('ｃｕｎｔ')).toMatch(/filter/);
    expect(refused('Scunthorpe United!')).toBeNull();
  });

  it('refuses a configured word, however it is spelled', () => {
    const list = ['spoiler', 'Bad Word'];
    expect(refused('no spoilers please', list)).toMatch(/filter/);
    expect(refused('s p o i l e r', list)).toMatch(/filter/);
    expect(refused('ЅРОІLЕR', list)).toMatch(/filter/);
    expect(refused('what a bad  word', list)).toMatch(/filter/);
    expect(refused('no spoilers please')).toBeNull();
  });
});

describe('normalise', () => {
  it('maps width, look-alikes, marks, spaced letters and dot spellings to one plain form', () => {
    expect(normalise('ＥＶＩＬ')).toBe('evil');
    expect(normalise('еvil')).toBe('evil');
    expect(normalise('café')).toBe('cafe');
    expect(normalise('e v i l . c o m')).toBe('evil.com');
    expect(normalise('evil [dot] com')).toBe('evil.com');
    expect(normalise('evil。com')).toBe('evil.com');
    expect(normalise('＠bob')).toBe('@bob');
  });
});
