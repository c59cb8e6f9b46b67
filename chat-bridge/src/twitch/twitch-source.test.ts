/**
 * The Twitch source with the real @twurple/chat client against the local Twitch chat server (devstack's fake, which
 * speaks Twitch's IRC-over-WebSocket wire format): lines, reconnects, refused logins, hostile input, the bot's post.
 */
import { startFakeTwitchChat, type FakeChatLine, type FakeTwitchChat } from '@stream-fighter/devstack/fakes/twitch-chat';
import { until } from '@stream-fighter/devstack/test-support/until';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import type { ChatLine, ChatSource } from '../source.ts';
import { twitchSource } from './twitch-source.ts';

const CHANNEL = 'streamfighter';
const BOT = { login: 'fighterbot', userId: '4242', token: 'bottoken0123456789' };

let fake: FakeTwitchChat;
let source: ChatSource | undefined;
let lines: ChatLine[];
let logs: Array<{ level: string; event: string; state?: string; detail?: string; [k: string]: unknown }>;

afterEach(async () => {
  await source?.stop();
  source = undefined;
  await fake?.close();
  vi.unstubAllEnvs();
});

/** The states the source went through, in order, from its log. */
const states = () => logs.filter((l) => l.event === 'twitch.state').map((l) => l.state);

async function start(o: { bot?: boolean; onLine?: (l: ChatLine) => void; reconnectGraceMs?: number } = {}) {
  // A long grace: a client that ignored RECONNECT would stay on the old socket and the RECONNECT test would fail.
  fake = await startFakeTwitchChat({ accounts: [BOT], reconnectGraceMs: o.reconnectGraceMs ?? 60_000 });
  lines = [];
  logs = [];
  const log = createLogger({ level: 'debug', write: (l) => logs.push(JSON.parse(l)), secrets: [BOT.token] });
  const bot = o.bot ? { username: BOT.login, token: BOT.token } : undefined;
  source = twitchSource(CHANNEL, { ircUrl: fake.url, ...(bot ? { bot } : {}) }, log);
  source.start(o.onLine ?? ((l) => lines.push(l)));
  await connected('the first join');
  return source;
}

async function connected(what: string) {
  await until(`the source to be connected and in #${CHANNEL} (${what}); states so far: ${states().join(' → ')}`, () => source!.status().state === 'connected' && fake.joined(CHANNEL), 15_000);
}

const viewer = (i: number, text: string, extra: Partial<FakeChatLine> = {}): FakeChatLine => ({ userId: String(10_000 + i), displayName: `Viewer_${i}`, text, ...extra });

/** Says the lines and waits until the source has handed all of them on. */
async function sayAll(batch: FakeChatLine[]) {
  const before = lines.length;
  const sent = batch.map((l) => fake.say(CHANNEL, l));
  expect(sent.every((s) => s.delivered === 1), 'every line reached the one client').toBe(true);
  await until(`${batch.length} lines to arrive (${lines.length - before} so far)`, () => lines.length >= before + batch.length, 15_000);
  return sent;
}

describe('Twitch source (real @twurple/chat against the local Twitch chat server)', () => {
  it('reads lines from 1,000 accounts, repeats included, with their ids, names, text and tmi-sent-ts', async () => {
    await start();
    expect(source!.status()).toEqual({ state: 'connected' });
    expect(source!.say, 'an anonymous login cannot post').toBeUndefined();
    const t0 = 1_760_000_000_000;
    const batch = Array.from({ length: 1_000 }, (_, i) => viewer(i, i % 3 ? '!a' : '!vote b', { sentAt: t0 + i }));
    // 200 of them say something again: the same account, a new message.
    for (let i = 0; i < 200; i++) batch.push(viewer(i * 5, '!grizzle', { sentAt: t0 + 1_000 + i }));
    const sent = await sayAll(batch);

    expect(lines).toEqual(batch.map((l, i) => ({ id: sent[i]!.id, voter: `twitch:${l.userId}`, name: l.displayName, line: l.text, at: l.sentAt })));
    expect(new Set(lines.map((l) => l.voter)).size).toBe(1_000);
  });

  it('comes back after a RECONNECT and after a dropped socket, rejoins, and misses only what was said while away', async () => {
    await start();
    const before = await sayAll(Array.from({ length: 50 }, (_, i) => viewer(i, '!a')));

    fake.reconnectAll();
    await until('the source to report reconnecting after RECONNECT', () => states().includes('reconnecting'), 10_000);
    await connected('after RECONNECT');
    await until('the old connection to be gone (the client left it, not the server)', () => fake.clients() === 1, 10_000);
    const afterReconnect = await sayAll(Array.from({ length: 50 }, (_, i) => viewer(100 + i, '!b')));

    const reconnects = states().filter((s) => s === 'reconnecting').length;
    fake.dropAll();
    // Said while the socket is down: Twitch keeps no backlog for a reader that was away, so these are missed.
    const away = Array.from({ length: 30 }, (_, i) => fake.say(CHANNEL, viewer(200 + i, '!a')));
    expect(away.map((s) => s.delivered)).toEqual(away.map(() => 0));
    await until('the source to report reconnecting after the drop', () => states().filter((s) => s === 'reconnecting').length > reconnects, 10_000);
    await connected('after the dropped socket');
    const afterDrop = await sayAll(Array.from({ length: 50 }, (_, i) => viewer(300 + i, '!b')));

    expect(lines.map((l) => l.id)).toEqual([...before, ...afterReconnect, ...afterDrop].map((s) => s.id));
    expect(states()).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'reconnecting', 'connected']);
  });

  it('reports a refused login as an error and connects once Twitch takes logins again', async () => {
    await start();
    fake.refuseLogins(1_500);
    fake.dropAll();
    await until('the refused login to be reported', () => logs.some((l) => l.event === 'twitch.state' && l.state === 'error' && /refused the login/.test(String(l.detail))), 10_000);
    await connected('after logins are taken again');
    await sayAll([viewer(1, '!a')]);
  });

  it('survives hostile and malformed input and keeps reading', async () => {
    let throwOnce = true;
    await start({
      onLine: (l) => {
        lines.push(l);
        if (l.line === '!boom' && throwOnce) {
          throwOnce = false;
          throw new Error('a consumer bug');
        }
      },
    });
    const hostile: FakeChatLine[] = [
      viewer(1, '!a ' + 'x'.repeat(20_000)),
      viewer(2, '!a\u0001\u0007\u001b[31mred\u001b[0m\u007f'),
      viewer(3, '🥊🔥 !b 👍🏽 \u200b\u202e'),
      viewer(4, '!а (Cyrillic а) !ａ'),
      viewer(5, '!boom'),
      viewer(6, '!vote c'),
      viewer(7, '!a', { displayName: 'semi;colon space\\s back\\\\slash\\: end\\' }),
      viewer(8, '!a', { displayName: '', login: 'viewer_8' }),
      viewer(9, '!b', { displayName: '名前🥊', login: 'namae' }),
    ];
    await sayAll(hostile);
    expect(lines.map((l) => l.line)).toEqual(hostile.map((l) => l.text));
    expect(lines.find((l) => l.voter === 'twitch:10007')?.name, 'the display name unescaped exactly').toBe('semi;colon space\\s back\\\\slash\\: end\\');
    expect(lines.find((l) => l.voter === 'twitch:10008')?.name, 'no display name: the login').toBe('viewer_8');
    expect(lines.find((l) => l.voter === 'twitch:10009')?.name).toBe('名前🥊');
    expect(logs.some((l) => l.event === 'twitch.line-handler' && l.error === 'a consumer bug')).toBe(true);

    // Lines that cannot be votes (no user id, no message id, no timestamp) and lines that are not IRC at all.
    const count = lines.length;
    const prefix = ':x!x@x.tmi.twitch.tv PRIVMSG #streamfighter';
    for (const raw of [
      `@id=m1;tmi-sent-ts=1760000000000 ${prefix} :!a`,
      `@user-id=77;tmi-sent-ts=1760000000000 ${prefix} :!a`,
      `@id=m3;user-id=77;tmi-sent-ts=soon ${prefix} :!a`,
      `@id=m4;user-id=not-a-number;tmi-sent-ts=1760000000000 ${prefix} :!a`,
      `${prefix} :!a`,
      `@id=m6;user-id=77;tmi-sent-ts=1760000000000 :x!x@x.tmi.twitch.tv PRIVMSG #someotherchannel :!a`,
      `@id=m7;user-id=77;tmi-sent-ts=1760000000000 ${prefix} :\u0001ACTION !a\u0001`,
      '@;;;=;== :tmi.twitch.tv PRIVMSG',
      'PRIVMSG',
      ':tmi.twitch.tv 999 whatever :numeric nobody knows',
      '@msg-id=whatever :tmi.twitch.tv NOTICE #streamfighter :a notice',
      '@ban-duration=10;room-id=1;target-user-id=5 :tmi.twitch.tv CLEARCHAT #streamfighter :someone',
      '@msg-id=raid;msg-param-viewerCount=nope :tmi.twitch.tv USERNOTICE #streamfighter',
      ':tmi.twitch.tv ROOMSTATE',
      '\u0000\u0001\u00ff garbage',
    ]) {
      fake.raw(raw);
    }
    await sayAll([viewer(10, '!b')]);
    expect(lines.slice(count).map((l) => l.voter)).toEqual(['twitch:10010']);
    expect(source!.status().state).toBe('connected');
  });

  it('logs the bot in with its token and posts one line in chat', async () => {
    // twurple checks a token at Twitch's validate endpoint first; its mock-server switch sends that to the fake.
    fake = await startFakeTwitchChat({ accounts: [BOT] });
    vi.stubEnv('TWURPLE_MOCK_API_PORT', String(fake.port));
    lines = [];
    logs = [];
    const log = createLogger({ level: 'debug', write: (l) => logs.push(JSON.parse(l)), secrets: [BOT.token] });
    source = twitchSource(CHANNEL, { ircUrl: fake.url, bot: { username: BOT.login, token: BOT.token } }, log);
    source.start((l) => lines.push(l));
    await connected('the bot');

    await source.say!('Round 12: Grizzle vs Tron — type !a or !b');
    await until('the post to reach chat', () => fake.posted.length === 1, 5_000);
    expect(fake.posted).toEqual([{ channel: CHANNEL, login: BOT.login, text: 'Round 12: Grizzle vs Tron — type !a or !b' }]);
    await sayAll([viewer(1, '!a')]);
    expect(logs.some((l) => l.event === 'twitch.bot-name')).toBe(false);
    expect(JSON.stringify(logs)).not.toContain(BOT.token);
  });

  it('reports a token Twitch does not accept, and connects once it does', async () => {
    const accounts = [BOT];
    fake = await startFakeTwitchChat({ accounts });
    vi.stubEnv('TWURPLE_MOCK_API_PORT', String(fake.port));
    logs = [];
    const token = 'notyetvalid000000';
    const log = createLogger({ level: 'debug', write: (l) => logs.push(JSON.parse(l)), secrets: [token] });
    source = twitchSource(CHANNEL, { ircUrl: fake.url, bot: { username: 'otherbot', token } }, log);
    source.start(() => {});
    await until('the refused token to be reported', () => source!.status().state === 'error' && /token was not accepted/.test(source!.status().detail ?? ''), 10_000);
    await expect(source.say!('hello')).rejects.toThrow(/not connected/);
    expect(fake.joined(CHANNEL)).toBe(false);

    accounts.push({ login: 'otherbot', userId: '4343', token });
    await connected('the retry after the token became valid');
    expect(JSON.stringify(logs)).not.toContain(token);
  });

  it('stops: leaves the channel and closes its socket', async () => {
    await start();
    await source!.stop();
    await until('the server to see the socket closed', () => fake.clients() === 0, 5_000);
    expect(fake.joined(CHANNEL)).toBe(false);
  });
});
