import { describe, expect, it } from 'vitest';
import { parseChatCommand, resolveChatCommand, CHAT_LINE_MAX } from './chat.ts';

const options = [
  { id: 'A' as const, name: 'Grizzle' },
  { id: 'B' as const, name: 'Wandering Ronin' },
];

describe('chat commands', () => {
  it('reads !a, !vote b and a fighter name, in any case', () => {
    expect(parseChatCommand('!a')).toEqual({ kind: 'option', option: 'A' });
    expect(parseChatCommand('  !B lets go')).toEqual({ kind: 'option', option: 'B' });
    expect(parseChatCommand('!VOTE a')).toEqual({ kind: 'option', option: 'A' });
    expect(parseChatCommand('!Grizzle')).toEqual({ kind: 'name', name: 'grizzle' });
  });

  it('ignores chatter, bare !vote, huge lines, control characters, emoji and look-alike letters', () => {
    for (const line of ['a', 'hello !a', '!vote', '!', '! a', `!a${' '.repeat(CHAT_LINE_MAX)}`, '!a\u0000', '!\u{1F44A}', '!\u0430', '!\uFF41', '!a\u200b']) {
      expect(parseChatCommand(line), JSON.stringify(line)).toBeNull();
    }
  });

  it('resolves names (whole, or one unambiguous word) and refuses options the poll does not have', () => {
    const resolve = (line: string) => resolveChatCommand(parseChatCommand(line)!, options);
    expect(resolve('!grizzle')).toBe('A');
    expect(resolve('!wanderingronin')).toBe('B');
    expect(resolve('!ronin')).toBe('B');
    expect(resolve('!c')).toBeNull();
    expect(resolve('!tron')).toBeNull();
    expect(resolveChatCommand({ kind: 'name', name: 'the' }, [...options, { id: 'C', name: 'The Tron' }, { id: 'D', name: 'The Hulk' }])).toBeNull();
  });
});
