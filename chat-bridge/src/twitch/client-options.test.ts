import { StaticAuthProvider } from '@twurple/auth';
import { describe, expect, it } from 'vitest';
import { chatClientOptions } from './client-options.ts';

const quiet = () => {};

describe('chatClientOptions', () => {
  it('points at Twitch with TLS on its default port, anonymously, without touching the socket', () => {
    const o = chatClientOptions('wss://irc-ws.chat.twitch.tv:443', undefined, quiet);
    expect(o).toMatchObject({ hostName: 'irc-ws.chat.twitch.tv', ssl: true, webSocket: true, requestMembershipEvents: false });
    expect(o.connectionOptions).toBeUndefined();
    expect(o.authProvider).toBeUndefined();
  });

  it('opens the socket itself for a port twurple cannot be told', () => {
    const o = chatClientOptions('ws://127.0.0.1:41234', undefined, quiet);
    expect(o).toMatchObject({ hostName: '127.0.0.1', ssl: false });
    expect(o.connectionOptions?.wsOptions?.createConnection).toBeTypeOf('function');
    expect(chatClientOptions('ws://localhost:80', undefined, quiet).connectionOptions, 'port 80 is ws:// by default').toBeUndefined();
  });

  it('logs in with the bot token when one is given', () => {
    const o = chatClientOptions('wss://irc-ws.chat.twitch.tv', { username: 'fighterbot', token: 'abcdefghij' }, quiet);
    expect(o.authProvider).toBeInstanceOf(StaticAuthProvider);
  });

  it('refuses what is not a bare ws(s) host', () => {
    expect(() => chatClientOptions('https://irc-ws.chat.twitch.tv', undefined, quiet)).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => chatClientOptions('wss://irc-ws.chat.twitch.tv/chat', undefined, quiet)).toThrow(/without a path/);
  });
});
