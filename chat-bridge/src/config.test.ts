import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ChatBridgeName } from '@stream-fighter/core';
import { BridgeEnv, ConfigError, defaultBridgeName, readConfig } from './config.ts';

const base = { EDGE_URL: 'https://edge.example', BRIDGE_TOKEN: 'bridge-token-0123456789', TWITCH_CHANNELS: 'streamfighter' };
const issues = (env: Record<string, string>): string[] => {
  try {
    readConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('chat bridge config', () => {
  it('reads a Twitch-only bridge with the defaults', () => {
    const c = readConfig({ ...base, TWITCH_CHANNELS: ' #StreamFighter, other,,streamfighter ', HTTP_PORT: '' });
    expect(c.twitch).toEqual({ channels: ['streamfighter', 'other'], ircUrl: 'wss://irc-ws.chat.twitch.tv:443' });
    expect(c.youtube).toBeNull();
    expect(c).toMatchObject({ EDGE_URL: 'https://edge.example', ROOM: 'main', STREAM_LANG: 'en', CHAT_ANNOUNCE: false, CHAT_ANNOUNCE_MIN_SEC: 60, CHAT_BUFFER_MAX: 20_000, HTTP_HOST: '127.0.0.1', HTTP_PORT: 8791 });
    expect(c.secrets).toEqual([base.BRIDGE_TOKEN]);
  });

  it('names the bridge BRIDGE_NAME, or after its host when unset', () => {
    expect(readConfig({ ...base, BRIDGE_NAME: 'box-a' }).BRIDGE_NAME).toBe('box-a');
    expect(readConfig(base).BRIDGE_NAME).toBe(defaultBridgeName());
    expect(defaultBridgeName('3f2a9c1b7d0e')).toBe('3f2a9c1b7d0e');
    // Whatever the host name holds, the default is a name the room takes.
    for (const host of ['my host (1)', 'x'.repeat(300), '']) expect(ChatBridgeName.parse(defaultBridgeName(host))).toBeTruthy();
    expect(issues({ ...base, BRIDGE_NAME: 'two words' })).toEqual(['BRIDGE_NAME: BRIDGE_NAME must be 1-64 letters, digits, _ . : -']);
  });

  it('reads a bot account, YouTube by live chat or by channel, and overridden endpoints', () => {
    const c = readConfig({
      ...base,
      TWITCH_BOT_USERNAME: 'SFBot',
      TWITCH_OAUTH_TOKEN: 'oauth:abcdef0123456789',
      TWITCH_IRC_URL: 'ws://127.0.0.1:9100',
      YOUTUBE_API_KEY: 'AIza-key-0123456789',
      YOUTUBE_LIVE_CHAT_ID: 'Cg0KC3Rlc3QtY2hhdA',
      YOUTUBE_API_URL: 'http://127.0.0.1:9200/',
      CHAT_ANNOUNCE: 'on',
    });
    expect(c.twitch).toEqual({ channels: ['streamfighter'], ircUrl: 'ws://127.0.0.1:9100', bot: { username: 'sfbot', token: 'abcdef0123456789' } });
    expect(c.youtube).toEqual({ apiKey: 'AIza-key-0123456789', apiUrl: 'http://127.0.0.1:9200', liveChatId: 'Cg0KC3Rlc3QtY2hhdA' });
    expect(c.CHAT_ANNOUNCE).toBe(true);
    // The bare token, which the client holds: scrubbing it scrubs the `oauth:` form too.
    expect(c.secrets).toEqual([base.BRIDGE_TOKEN, 'abcdef0123456789', 'AIza-key-0123456789']);
    const byChannel = readConfig({ EDGE_URL: base.EDGE_URL, BRIDGE_TOKEN: base.BRIDGE_TOKEN, YOUTUBE_API_KEY: 'AIza-key-0123456789', YOUTUBE_CHANNEL_ID: 'UC0123456789abcdefghij_-' });
    expect(byChannel.twitch).toBeNull();
    expect(byChannel.youtube).toEqual({ apiKey: 'AIza-key-0123456789', apiUrl: 'https://youtube.googleapis.com', channelId: 'UC0123456789abcdefghij_-' });
  });

  it('names each missing or malformed variable', () => {
    expect(issues({})).toEqual(expect.arrayContaining(['EDGE_URL: EDGE_URL is required', 'BRIDGE_TOKEN: BRIDGE_TOKEN is required']));
    expect(issues({ ...base, EDGE_URL: 'ftp://x' })).toEqual(['EDGE_URL: EDGE_URL must be an http(s) URL']);
    expect(issues({ ...base, BRIDGE_TOKEN: 'short' })).toEqual(['BRIDGE_TOKEN: BRIDGE_TOKEN must be at least 16 characters']);
    expect(issues({ ...base, TWITCH_CHANNELS: 'ok, not a channel!' })[0]).toMatch(/^TWITCH_CHANNELS\.1: TWITCH_CHANNELS must be/);
    expect(issues({ ...base, TWITCH_IRC_URL: 'https://irc.example' })).toEqual(['TWITCH_IRC_URL: TWITCH_IRC_URL must be a ws(s) URL']);
    expect(issues({ ...base, CHAT_ANNOUNCE: 'maybe' })).toEqual(['CHAT_ANNOUNCE: CHAT_ANNOUNCE must be true or false']);
    expect(issues({ ...base, STREAM_LANG: 'fr' })).toEqual(['STREAM_LANG: STREAM_LANG must be one of en, es']);
    expect(issues({ ...base, CHAT_BUFFER_MAX: '10' })).toEqual(['CHAT_BUFFER_MAX: CHAT_BUFFER_MAX must be at least 500']);
    expect(issues({ ...base, HTTP_PORT: 'http' })).toEqual(['HTTP_PORT: HTTP_PORT must be a number']);
  });

  it('refuses settings that only make sense together, and a bridge with no chat to read', () => {
    expect(issues({ ...base, TWITCH_BOT_USERNAME: 'sfbot' })).toEqual([expect.stringMatching(/^TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN go together/)]);
    expect(issues({ ...base, TWITCH_OAUTH_TOKEN: 'oauth:abcdef0123456789' })).toEqual([expect.stringMatching(/^TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN go together/)]);
    expect(issues({ ...base, YOUTUBE_API_KEY: 'AIza-key-0123456789' })).toEqual([expect.stringMatching(/^YOUTUBE_API_KEY needs YOUTUBE_LIVE_CHAT_ID or YOUTUBE_CHANNEL_ID/)]);
    expect(issues({ ...base, YOUTUBE_LIVE_CHAT_ID: 'abc' })).toEqual(['YOUTUBE_LIVE_CHAT_ID needs YOUTUBE_API_KEY']);
    expect(issues({ ...base, YOUTUBE_API_KEY: 'AIza-key-0123456789', YOUTUBE_LIVE_CHAT_ID: 'abc', YOUTUBE_CHANNEL_ID: 'UC0123456789abcdefghij_-' })).toEqual([
      'YOUTUBE_LIVE_CHAT_ID and YOUTUBE_CHANNEL_ID: set one, not both',
    ]);
    expect(issues({ EDGE_URL: base.EDGE_URL, BRIDGE_TOKEN: base.BRIDGE_TOKEN })).toEqual([expect.stringMatching(/^no chat to read: set TWITCH_CHANNELS/)]);
  });

  it('never quotes a secret in its errors', () => {
    // Each one malformed, so each one is in the message.
    const secrets = { BRIDGE_TOKEN: 'tiny-secret-x', TWITCH_OAUTH_TOKEN: 'zq7wk', YOUTUBE_API_KEY: 'kk9w' };
    const text = issues({ ...base, ...secrets, TWITCH_BOT_USERNAME: 'sfbot', YOUTUBE_LIVE_CHAT_ID: 'abc' }).join('\n');
    expect(text).toMatch(/BRIDGE_TOKEN.*TWITCH_OAUTH_TOKEN.*YOUTUBE_API_KEY/s);
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
  });

  it('documents every variable in chat-bridge/.env.example, which parses once the token is set', () => {
    const file = readFileSync(resolve(import.meta.dirname, '../.env.example'), 'utf8');
    for (const name of Object.keys(BridgeEnv.shape)) expect(file, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    const example = parseEnv(file) as Record<string, string>;
    expect(readConfig(example).twitch?.channels).toEqual(['streamfighter']);
    expect(() => readConfig({ ...example, BRIDGE_TOKEN: '' })).toThrow(/BRIDGE_TOKEN is required/);
  });
});
