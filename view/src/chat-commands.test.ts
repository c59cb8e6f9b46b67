import { describe, expect, it } from 'vitest';
import { parseChatCommand } from '@stream-fighter/core/chat';
import { chatCommands } from './chat-commands.ts';

describe('chat commands on stream', () => {
  it('lists a fight\'s two commands and spans a poll\'s', () => {
    expect(chatCommands(['A', 'B'])).toBe('!a / !b');
    expect(chatCommands(['A', 'B', 'C'])).toBe('!a–!c');
    expect(chatCommands(['A', 'B', 'C', 'D'])).toBe('!a–!d');
  });

  it('writes commands that chat parses as votes for those options', () => {
    for (const cmd of chatCommands(['A', 'B']).split(' / ')) expect(parseChatCommand(cmd)?.kind).toBe('option');
    expect(chatCommands(['A', 'B', 'C', 'D']).split('–').map((c) => parseChatCommand(c))).toEqual([
      { kind: 'option', option: 'A' },
      { kind: 'option', option: 'D' },
    ]);
  });
});
