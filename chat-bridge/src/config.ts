/**
 * The chat bridge's configuration: environment variables, parsed once at start by one schema. A missing or
 * malformed value stops the start with a message that names it; a secret's value never appears in that message.
 * The schema is exported so chat-bridge/.env.example and the Docker Compose file can be checked against it.
 */
import os from 'node:os';
import { z } from 'zod';
import { ChatBridgeName } from '@stream-fighter/core';
import { LANGS } from '@stream-fighter/view/languages';

const url = (name: string, protocol: RegExp, what: string) =>
  z.url({ protocol, error: (iss) => (iss.input === undefined ? `${name} is required` : `${name} must be ${what}`) });
const int = (name: string, min: number, max: number) =>
  z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`);
const secret = (name: string, min: number) => z.string({ error: `${name} is required` }).min(min, `${name} must be at least ${min} characters`);

/** `StreamFighter, #other` → `['streamfighter', 'other']`: IRC joins by login name, which Twitch keeps in lower case. */
const TwitchChannels = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((c) => c.trim().replace(/^#/, '').toLowerCase()).filter(Boolean))])
  .pipe(z.array(z.string().regex(/^[a-z0-9_]{1,25}$/, 'TWITCH_CHANNELS must be comma-separated Twitch login names (letters, digits, _)')).max(16, 'TWITCH_CHANNELS lists more than 16 channels'));

const Switch = (name: string) =>
  z
    .string()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], { error: `${name} must be true or false` }))
    .transform((v) => ['true', '1', 'on', 'yes'].includes(v));

export const BridgeEnv = z.object({
  /** The edge the votes and status reports go to (`/api/chat/votes`, `/api/chat/status`). */
  EDGE_URL: url('EDGE_URL', /^https?$/, 'an http(s) URL'),
  BRIDGE_TOKEN: secret('BRIDGE_TOKEN', 16),
  /**
   * How the room knows this bridge: it leases each chat to one bridge by name, so two bridges reading one channel
   * relay and announce once. Unset: the host name (defaultBridgeName says why).
   */
  BRIDGE_NAME: z
    .string()
    .refine((v) => ChatBridgeName.safeParse(v).success, 'BRIDGE_NAME must be 1-64 letters, digits, _ . : -')
    .optional(),
  /** The Arena room, for the round feed CHAT_ANNOUNCE announces from (the edge's ROOM_NAME). */
  ROOM: z.string().regex(/^[a-z0-9-]{1,32}$/, 'ROOM must be the edge\'s ROOM_NAME (a-z, 0-9, -)').default('main'),
  TWITCH_CHANNELS: TwitchChannels.default([]),
  /** Both or neither: with them the bot logs in and may post (CHAT_ANNOUNCE); without, it reads anonymously. */
  TWITCH_BOT_USERNAME: z.string().regex(/^[A-Za-z0-9_]{1,25}$/, 'TWITCH_BOT_USERNAME must be a Twitch login name').optional(),
  TWITCH_OAUTH_TOKEN: z.string().min(8, 'TWITCH_OAUTH_TOKEN is too short to be a token').optional(),
  TWITCH_IRC_URL: url('TWITCH_IRC_URL', /^wss?$/, 'a ws(s) URL').default('wss://irc-ws.chat.twitch.tv:443'),
  YOUTUBE_API_KEY: z.string().min(8, 'YOUTUBE_API_KEY is too short to be an API key').optional(),
  YOUTUBE_LIVE_CHAT_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'YOUTUBE_LIVE_CHAT_ID must be a live chat id (letters, digits, _ . -)').optional(),
  YOUTUBE_CHANNEL_ID: z.string().regex(/^UC[A-Za-z0-9_-]{22}$/, 'YOUTUBE_CHANNEL_ID must be a channel id (UC followed by 22 characters)').optional(),
  YOUTUBE_API_URL: url('YOUTUBE_API_URL', /^https?$/, 'an http(s) URL').default('https://youtube.googleapis.com'),
  /** One message per round in each chat that can post ("Round 12: … type !a or !b"). Off: the bot never speaks. */
  CHAT_ANNOUNCE: Switch('CHAT_ANNOUNCE').default(false),
  /** The announcements' language: the edge's STREAM_LANG, the language the stream speaks. */
  STREAM_LANG: z.enum(LANGS, { error: `STREAM_LANG must be one of ${LANGS.join(', ')}` }).default('en'),
  /** At least this long between two announcements in one chat, whatever the rounds do. */
  CHAT_ANNOUNCE_MIN_SEC: int('CHAT_ANNOUNCE_MIN_SEC', 30, 3_600).default(60),
  /** Votes held while the edge is slow or away; past it the oldest are dropped (relay.ts says why the oldest). */
  CHAT_BUFFER_MAX: int('CHAT_BUFFER_MAX', 500, 1_000_000).default(20_000),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: int('HTTP_PORT', 0, 65_535).default(8791),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'LOG_LEVEL must be debug, info, warn or error' }).default('info'),
});
export type BridgeEnv = z.infer<typeof BridgeEnv>;

export interface TwitchConfig {
  channels: string[];
  /** Absent: an anonymous, read-only login. */
  bot?: { username: string; token: string };
  ircUrl: string;
}

export interface YoutubeConfig {
  apiKey: string;
  apiUrl: string;
  /** Exactly one of the two: the chat itself, or the channel whose live broadcast's chat is read. */
  liveChatId?: string;
  channelId?: string;
}

/**
 * The host name: each box, and in Docker each container (its host name is its own id), has its own, with nothing
 * to configure. Not the process id too: a bridge that crashed and was started again (by Docker, a supervisor, or a
 * test) must be the same bridge to the room and get its chats back at once; under a new name it would be a
 * stranger whose old lease still binds, standing by and dropping votes for up to a lease and a report interval.
 * The price: two bridges on one host (or in containers sharing the host's network and name) must each set
 * BRIDGE_NAME, or both are one bridge to the room and both relay, as before leases (twice the load and the
 * announcements; a vote is still counted once).
 */
export function defaultBridgeName(host = os.hostname()): string {
  return host.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 64) || 'bridge';
}

export type Config = Omit<BridgeEnv, `TWITCH_${string}` | `YOUTUBE_${string}` | 'BRIDGE_NAME'> & {
  BRIDGE_NAME: string;
  twitch: TwitchConfig | null;
  youtube: YoutubeConfig | null;
  /** Values scrubbed from every log line. */
  secrets: string[];
};

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parse the environment. Blank values count as unset, so `FOO=` in an env file falls back to the default. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(BridgeEnv.shape);
  const input = Object.fromEntries(known.flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])));
  const parsed = BridgeEnv.safeParse(input);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  const e = parsed.data;

  const issues: string[] = [];
  if (!e.TWITCH_BOT_USERNAME !== !e.TWITCH_OAUTH_TOKEN) issues.push('TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN go together: set both (to post) or neither (to read anonymously)');
  if (e.TWITCH_BOT_USERNAME && e.TWITCH_CHANNELS.length === 0) issues.push('TWITCH_BOT_USERNAME is set but TWITCH_CHANNELS is empty: which channels should the bot join?');
  const youtubeTarget = [e.YOUTUBE_LIVE_CHAT_ID && 'YOUTUBE_LIVE_CHAT_ID', e.YOUTUBE_CHANNEL_ID && 'YOUTUBE_CHANNEL_ID'].filter(Boolean);
  if (e.YOUTUBE_API_KEY && youtubeTarget.length === 0) issues.push('YOUTUBE_API_KEY needs YOUTUBE_LIVE_CHAT_ID or YOUTUBE_CHANNEL_ID: which chat should be read?');
  if (youtubeTarget.length === 2) issues.push('YOUTUBE_LIVE_CHAT_ID and YOUTUBE_CHANNEL_ID: set one, not both');
  if (!e.YOUTUBE_API_KEY && youtubeTarget.length > 0) issues.push(`${youtubeTarget.join(' / ')} needs YOUTUBE_API_KEY`);
  if (issues.length === 0 && e.TWITCH_CHANNELS.length === 0 && !e.YOUTUBE_API_KEY) {
    issues.push('no chat to read: set TWITCH_CHANNELS, or YOUTUBE_API_KEY with YOUTUBE_LIVE_CHAT_ID or YOUTUBE_CHANNEL_ID');
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const { TWITCH_CHANNELS, TWITCH_BOT_USERNAME, TWITCH_OAUTH_TOKEN, TWITCH_IRC_URL, YOUTUBE_API_KEY, YOUTUBE_LIVE_CHAT_ID, YOUTUBE_CHANNEL_ID, YOUTUBE_API_URL, ...rest } = e;
  // Twitch's token generators hand it out as `oauth:…`, the IRC PASS form; the client adds that itself. The bare
  // token is what the client holds, so it is the secret to scrub (which also scrubs the `oauth:` form around it).
  const twitchToken = TWITCH_OAUTH_TOKEN?.replace(/^oauth:/, '');
  return {
    ...rest,
    BRIDGE_NAME: rest.BRIDGE_NAME ?? defaultBridgeName(),
    twitch:
      TWITCH_CHANNELS.length > 0
        ? {
            channels: TWITCH_CHANNELS,
            ircUrl: TWITCH_IRC_URL,
            ...(TWITCH_BOT_USERNAME && twitchToken ? { bot: { username: TWITCH_BOT_USERNAME.toLowerCase(), token: twitchToken } } : {}),
          }
        : null,
    youtube: YOUTUBE_API_KEY
      ? { apiKey: YOUTUBE_API_KEY, apiUrl: YOUTUBE_API_URL.replace(/\/+$/, ''), ...(YOUTUBE_LIVE_CHAT_ID ? { liveChatId: YOUTUBE_LIVE_CHAT_ID } : { channelId: YOUTUBE_CHANNEL_ID! }) }
      : null,
    secrets: [e.BRIDGE_TOKEN, twitchToken, YOUTUBE_API_KEY].filter((s): s is string => !!s),
  };
}
