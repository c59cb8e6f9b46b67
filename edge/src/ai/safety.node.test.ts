import { describe, expect, it } from 'vitest';
import { findUnsafe, isSafeText, unsafeRule } from './safety.ts';

describe('unsafeRule', () => {
  it.each([
    ['Grandma Thunder', null],
    ['Dragon Punch', null],
    ['Killer Kick of Doom', null],
    ['Captain Knuckles smashes through the arcade!', null],
    ['Raccoon Rampage', null],
    ['The crowd goes wild at 100% volume', null],
    ['#ff00aa', null],
    ['Ready. Set. Fight!', null],
    ['Follow me at https://evil.example', 'url'],
    ['visit www.example.org', 'url'],
    ['free coins at fightcoins.gg', 'url'],
    ['shoutout to @someone', 'mention'],
    ['@streamer watch this', 'mention'],
    ['Sexy Samurai', 'sexual'],
    ['N4KED ninja', 'sexual'],
    ['what the fuck', 'profanity'],
    ['Sh1t Storm', 'profanity'],
    ['the assassination special', 'real-violence'],
    ['kys loser', 'real-violence'],
    ['fight like a f4ggot', 'slur'],
  ])('%j -> %s', (text, rule) => {
    expect(unsafeRule(text)).toBe(rule);
    expect(isSafeText(text)).toBe(rule === null);
  });
});

describe('findUnsafe', () => {
  it('walks nested values and reports the path and rule, not the text', () => {
    const value = { title: 'ok', options: [{ fighter: { name: 'fine' } }, { fighter: { tagline: 'see www.spam.com' } }] };
    expect(findUnsafe(value)).toEqual({ path: '$.options[1].fighter.tagline', rule: 'url' });
    expect(findUnsafe({ a: ['x', 1, null, true] })).toBeNull();
    expect(findUnsafe({ '@handle': 'x' })).toEqual({ path: '$.<key>', rule: 'mention' });
  });
});
