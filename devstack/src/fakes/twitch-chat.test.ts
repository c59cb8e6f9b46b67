// The local Twitch chat server's wire format, read with a raw `ws` client: what a Twitch client library sees.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseChatCommand, resolveChatCommand } from '@stream-fighter/core/chat';
import { until } from '../test-support/until.ts';
import { escapeTagValue, startFakeChatters, startFakeTwitchChat, type FakeTwitchChat, type FakeTwitchChatOptions } from './twitch-chat.ts';

const BOT = { login: 'fighterbot', userId: '4242', token: 'abcdefghij0123456789' };

interface Raw {
  ws: WebSocket;
  lines: string[];
  frames: number;
  send(...lines: string[]): void;
  /** Waits for the first line after the ones already consumed that passes `test`, and returns it. */
  next(what: string, test: (line: string) => boolean): Promise<string>;
}

let fake: FakeTwitchChat | undefined;
const sockets: WebSocket[] = [];
/** Frames that did not end with CRLF: every frame must, or a client's line splitter would glue lines together. */
const unterminated: string[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  expect(unterminated.splice(0)).toEqual([]);
  await fake?.close();
  fake = undefined;
});

async function start(o: FakeTwitchChatOptions = {}) {
  fake = await startFakeTwitchChat({ accounts: [BOT], ...o });
  return fake;
}

async function raw(url: string, o: { autoPong?: boolean } = {}): Promise<Raw> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const r: Raw = {
    ws,
    lines: [],
    frames: 0,
    send: (...lines) => ws.send(lines.map((l) => l + '\r\n').join('')),
    async next(what, test) {
      const i = await until(`a line: ${what} (got ${JSON.stringify(r.lines.slice(-5))})`, () => {
        const at = r.lines.findIndex(test);
        return at >= 0 ? at + 1 : null;
      }, 5_000, 10);
      return r.lines.splice(0, i).at(-1)!;
    },
  };
  ws.on('message', (data) => {
    r.frames++;
    const text = data.toString();
    if (!text.endsWith('\r\n')) unterminated.push(text);
    const lines = text.split('\r\n').filter(Boolean);
    if (o.autoPong && lines.includes('PING :tmi.twitch.tv')) r.send('PONG :tmi.twitch.tv');
    r.lines.push(...lines);
  });
  await until('the WebSocket to open', () => ws.readyState === ws.OPEN, 5_000, 10);
  return r;
}

async function anonymous(f: FakeTwitchChat, channel = 'streamfighter', autoPong = false): Promise<Raw> {
  const r = await raw(f.url, { autoPong });
  r.send('CAP REQ :twitch.tv/tags twitch.tv/commands', 'PASS SCHMOOPIIE', 'NICK justinfan12345');
  await r.next('the ACK', (l) => l === ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands');
  await r.next('376', (l) => l.startsWith(':tmi.twitch.tv 376 justinfan12345'));
  r.send(`JOIN #${channel}`);
  await r.next('ROOMSTATE', (l) => l.includes(`ROOMSTATE #${channel}`));
  return r;
}

describe('fake Twitch chat: wire format', () => {
  it('negotiates capabilities, welcomes an anonymous login in one frame, and answers JOIN as Twitch does', async () => {
    const f = await start();
    const r = await raw(f.url);
    r.send('CAP LS 302');
    expect(await r.next('LS', (l) => l.includes('CAP * LS'))).toBe(':tmi.twitch.tv CAP * LS :twitch.tv/tags twitch.tv/commands twitch.tv/membership');
    r.send('CAP REQ :twitch.tv/tags twitch.tv/bogus');
    expect(await r.next('NAK', (l) => l.includes('NAK'))).toBe(':tmi.twitch.tv CAP * NAK :twitch.tv/tags twitch.tv/bogus');
    r.send('CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership', 'CAP END');
    await r.next('ACK', (l) => l === ':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands twitch.tv/membership');

    const framesBefore = r.frames;
    r.send('NICK justinfan98765');
    await r.next('376', (l) => l === ':tmi.twitch.tv 376 justinfan98765 :>');
    expect(r.frames - framesBefore, 'the welcome block arrives as one frame').toBe(1);

    r.send('JOIN #StreamFighter');
    expect(await r.next('JOIN echo', (l) => l.includes(' JOIN '))).toBe(':justinfan98765!justinfan98765@justinfan98765.tmi.twitch.tv JOIN #streamfighter');
    expect(await r.next('353', (l) => l.includes(' 353 '))).toBe(':justinfan98765.tmi.twitch.tv 353 justinfan98765 = #streamfighter :justinfan98765');
    expect(await r.next('366', (l) => l.includes(' 366 '))).toBe(':justinfan98765.tmi.twitch.tv 366 justinfan98765 #streamfighter :End of /NAMES list');
    expect(await r.next('ROOMSTATE', (l) => l.includes('ROOMSTATE'))).toMatch(
      /^@emote-only=0;followers-only=-1;r9k=0;room-id=\d+;slow=0;subs-only=0 :tmi\.twitch\.tv ROOMSTATE #streamfighter$/,
    );
    expect(f.joined('streamfighter')).toBe(true);
    expect(f.clients()).toBe(1);
  });

  it('sends PRIVMSG with every tag Twitch sends, tag values escaped', async () => {
    const f = await start();
    const r = await anonymous(f);
    const tricky = 'semi;colon space\\back\r\nslash';
    const sent = f.say('streamfighter', { userId: '9001', displayName: tricky, text: '!a with spaces ; and :colons 🥊', sentAt: 1_700_000_000_123 });
    expect(sent.delivered).toBe(1);
    const line = await r.next('PRIVMSG', (l) => l.includes('PRIVMSG'));
    const [tags, rest] = [line.slice(1, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    expect(rest).toBe(':u9001!u9001@u9001.tmi.twitch.tv PRIVMSG #streamfighter :!a with spaces ; and :colons 🥊');
    const map = new Map(tags.split(';').map((t) => t.split('=') as [string, string]));
    expect([...map.keys()]).toEqual([
      'badge-info', 'badges', 'color', 'display-name', 'emotes', 'id', 'mod', 'room-id', 'subscriber', 'tmi-sent-ts', 'turbo', 'user-id', 'user-type',
    ]);
    expect(map.get('display-name')).toBe('semi\\:colon\\sspace\\\\back\\r\\nslash');
    expect(map.get('tmi-sent-ts')).toBe('1700000000123');
    expect(map.get('user-id')).toBe('9001');
    expect(map.get('id')).toBe(sent.id);
    expect(map.get('id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('escapes the five characters the IRCv3 spec names and nothing else', () => {
    expect(escapeTagValue('a;b c\\d\re\nf')).toBe('a\\:b\\sc\\\\d\\re\\nf');
    expect(escapeTagValue('Ünïcødé_名前-🥊')).toBe('Ünïcødé_名前-🥊');
  });

  it('refuses a chat line that would break out of its IRC line', async () => {
    const f = await start();
    expect(() => f.say('streamfighter', { userId: '1', displayName: 'x', text: 'hi\r\n:tmi.twitch.tv RECONNECT' })).toThrow(/CR, LF or NUL/);
  });

  it('answers PING with PONG, PINGs clients, and drops one that leaves a PING unanswered', async () => {
    const f = await start({ pingEveryMs: 150 });
    const good = await anonymous(f, 'streamfighter', true);
    good.send('PING :hello-123');
    expect(await good.next('PONG', (l) => l.includes('PONG'))).toBe(':tmi.twitch.tv PONG tmi.twitch.tv :hello-123');

    const silent = await anonymous(f, 'other');
    await silent.next('a server PING', (l) => l === 'PING :tmi.twitch.tv');
    await until('the server to drop the client that never answered PING', () => silent.ws.readyState === silent.ws.CLOSED, 5_000);
    expect(good.ws.readyState).toBe(good.ws.OPEN);
    expect(f.clients()).toBe(1);
  });

  it('logs a bot in with its token, refuses a wrong one, and records what the bot posts', async () => {
    const f = await start();
    const wrong = await raw(f.url);
    wrong.send('PASS oauth:not-the-token', `NICK ${BOT.login}`);
    expect(await wrong.next('the refusal', (l) => l.includes('NOTICE'))).toBe(':tmi.twitch.tv NOTICE * :Login authentication failed');
    await until('the refused socket to close', () => wrong.ws.readyState === wrong.ws.CLOSED, 5_000);

    const bot = await raw(f.url);
    bot.send('CAP REQ :twitch.tv/tags twitch.tv/commands', `PASS oauth:${BOT.token}`, `NICK ${BOT.login}`);
    expect(await bot.next('GLOBALUSERSTATE', (l) => l.includes('GLOBALUSERSTATE'))).toContain(`user-id=${BOT.userId}`);
    bot.send('JOIN #streamfighter');
    await bot.next('USERSTATE', (l) => l.includes('USERSTATE #streamfighter'));
    await bot.next('ROOMSTATE', (l) => l.includes('ROOMSTATE #streamfighter'));
    bot.send('PRIVMSG #streamfighter :Round 3: type !a or !b');
    await bot.next('USERSTATE after posting', (l) => l.includes('USERSTATE #streamfighter'));
    expect(f.posted).toEqual([{ channel: 'streamfighter', login: BOT.login, text: 'Round 3: type !a or !b' }]);

    const res = await fetch(`http://127.0.0.1:${f.port}/auth/validate`, { headers: { authorization: `OAuth ${BOT.token}` } });
    expect(await res.json()).toMatchObject({ login: BOT.login, user_id: BOT.userId, scopes: expect.arrayContaining(['chat:read', 'chat:edit']) });
    expect((await fetch(`http://127.0.0.1:${f.port}/auth/validate`, { headers: { authorization: 'OAuth nope' } })).status).toBe(401);
  });

  it('sends RECONNECT then closes; drops sockets abruptly; refuses logins for a while', async () => {
    const f = await start({ reconnectGraceMs: 100 });
    const r = await anonymous(f);
    f.reconnectAll();
    expect(await r.next('RECONNECT', (l) => l.includes('RECONNECT'))).toBe(':tmi.twitch.tv RECONNECT');
    await until('the server to close after RECONNECT', () => r.ws.readyState === r.ws.CLOSED, 5_000);

    const d = await anonymous(f);
    let code = 0;
    d.ws.on('close', (c) => (code = c));
    f.dropAll();
    await until('the dropped socket to close', () => code !== 0, 5_000);
    expect(code, 'no close frame: 1006').toBe(1006);

    f.refuseLogins(60_000);
    const refused = await raw(f.url);
    refused.send('NICK justinfan1');
    expect(await refused.next('the refusal', (l) => l.includes('NOTICE'))).toBe(':tmi.twitch.tv NOTICE * :Login authentication failed');
    f.refuseLogins(0);
    await anonymous(f);
  });

  it('misses lines said while nobody is in the channel', async () => {
    const f = await start();
    expect(f.say('streamfighter', { userId: '1', displayName: 'early', text: '!a' }).delivered).toBe(0);
  });
});

describe('fake chatters', () => {
  it('vote for the live round’s options and chat between rounds', async () => {
    const said: string[] = [];
    const options = [{ id: 'A' as const, name: 'Grizzle' }, { id: 'B' as const, name: 'Wandering Ronin' }, { id: 'C' as const, name: 'Señor Taco' }, { id: 'D' as const, name: 'Dr. Hyde' }];
    let round: { options: Array<{ id: string; name: string }> } | null = { options };
    const chatters = startFakeChatters({ chat: { say: (_c, l) => (said.push(l.text), { id: '', sentAt: 0, delivered: 0 }) }, channel: 'x', accounts: 20, linesPerSecond: 200, round: () => round });
    try {
      await until('100 lines from the chatters', () => said.length >= 100, 10_000);
      expect(said.some((t) => ['!a', '!b'].includes(t))).toBe(true);
      expect(said.some((t) => ['!grizzle', '!wandering', '!senor', '!dr'].includes(t))).toBe(true);
      const commands = said.filter((t) => t.startsWith('!'));
      expect(commands.length).toBeGreaterThan(said.length / 2);
      // Every command they type is one the room counts: names spelled as chat spells them, accents and dots dropped.
      expect(commands.filter((t) => {
        const cmd = parseChatCommand(t);
        return !cmd || resolveChatCommand(cmd, options) === null;
      })).toEqual([]);
      round = null;
      said.length = 0;
      await until('30 lines between rounds', () => said.length >= 30, 10_000);
      expect(said.filter((t) => t.startsWith('!'))).toEqual([]);
    } finally {
      chatters.stop();
    }
  });
});
