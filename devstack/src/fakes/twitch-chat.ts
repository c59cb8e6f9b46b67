/**
 * Dev/test only: a real WebSocket server on 127.0.0.1 speaking Twitch chat's IRC-over-WebSocket wire format, so the
 * chat bridge runs the real @twurple/chat client against it (tests and `npm start -- --demo`).
 *
 * What it speaks, as dev.twitch.tv/docs/irc describes it: `CAP LS`/`CAP REQ` (ACK or NAK echoing the request) for
 * twitch.tv/tags, twitch.tv/commands and twitch.tv/membership; `PASS`/`NICK`, anonymous as `justinfan<digits>` with
 * any or no password, or `oauth:<token>` for one of `accounts`; the 001–004, 375/372/376 welcome; `JOIN` answered with
 * JOIN, 353, 366, USERSTATE and ROOMSTATE; `PING`/`PONG` both ways (a client that leaves a PING unanswered until the
 * next one is dropped); `PRIVMSG` with IRCv3 tags escaped as the spec says; `RECONNECT`. Several lines share one
 * WebSocket frame, `\r\n`-terminated, as Twitch sends them.
 *
 * With a token, @twurple/chat first checks it at Twitch's validate endpoint; twurple's documented mock-server
 * switch (`TWURPLE_MOCK_API_PORT=<port>`) sends that check to `http://localhost:<port>/auth/validate`, which this
 * server answers for its `accounts`.
 *
 * Failure modes a test triggers: `reconnectAll()` (RECONNECT, then the socket closes after `reconnectGraceMs` as
 * Twitch's does), `dropAll()` (sockets cut without a close frame), `refuseLogins(ms)`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { chatName } from '@stream-fighter/core/chat';
import { closeServer, listen, sendJson } from '../standins/http-util.ts';

const HOST = 'tmi.twitch.tv';
const CAPS = ['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership'];
/** Twitch drops a login that is neither anonymous nor a valid token; these are its exact words. */
const LOGIN_FAILED = 'Login authentication failed';

/** A bot account the server accepts `PASS oauth:<token>` / `NICK <login>` from. */
export interface FakeTwitchAccount {
  login: string;
  userId: string;
  token: string;
}

/** One line a (simulated) viewer types. */
export interface FakeChatLine {
  userId: string;
  displayName: string;
  text: string;
  /** `tmi-sent-ts`; now by default. */
  sentAt?: number;
  /** The message's `id` tag; a fresh UUID by default. */
  id?: string;
  /** The login in the prefix; the display name in lower case when that is a valid login, else `u<userId>`. */
  login?: string;
}

export interface FakeTwitchChat {
  /** e.g. ws://127.0.0.1:41234 (TWITCH_IRC_URL) */
  url: string;
  /** The port, also for TWURPLE_MOCK_API_PORT (the token check). */
  port: number;
  /** Sends the line to every client in the channel; `delivered` is how many got it (0 while nobody is joined). */
  say(channel: string, line: FakeChatLine): { id: string; sentAt: number; delivered: number };
  /** Sends one raw IRC line to every registered client, for malformed-input tests. */
  raw(line: string): void;
  /** RECONNECT to every client; each socket closes `reconnectGraceMs` later unless the client left first. */
  reconnectAll(): void;
  /** Cuts every socket at once, no close frame, like a network failure. */
  dropAll(): void;
  /** Every login in the next `ms` is answered "Login authentication failed" and closed. */
  refuseLogins(ms: number): void;
  /** Whether some registered client is in the channel now. */
  joined(channel: string): boolean;
  /** Open WebSocket connections. */
  clients(): number;
  /** What logged-in accounts posted: the PRIVMSGs Twitch would show in chat. */
  posted: Array<{ channel: string; login: string; text: string }>;
  close(): Promise<void>;
}

export interface FakeTwitchChatOptions {
  /** Read at every login and token check, so a test may add an account while the server runs. */
  accounts?: FakeTwitchAccount[];
  /** How often the server PINGs each client; Twitch does it about every 5 minutes. */
  pingEveryMs?: number;
  reconnectGraceMs?: number;
}

interface Client {
  ws: WebSocket;
  caps: Set<string>;
  pass?: string;
  nick?: string;
  /** Set once logged in: the account, or null for an anonymous justinfan. */
  account?: FakeTwitchAccount | null;
  channels: Set<string>;
  awaitingPong: boolean;
}

/** IRCv3 tag value escaping: `;` `\:`, space `\s`, `\` `\\`, CR `\r`, LF `\n`. */
export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]!);
}

const tagString = (tags: Record<string, string>) =>
  '@' + Object.entries(tags).map(([k, v]) => `${k}=${escapeTagValue(v)}`).join(';');

const loginOf = (l: FakeChatLine) => l.login ?? (/^[a-z0-9_]{1,25}$/.test(l.displayName.toLowerCase()) ? l.displayName.toLowerCase() : `u${l.userId}`);

export async function startFakeTwitchChat(o: FakeTwitchChatOptions = {}): Promise<FakeTwitchChat> {
  const accounts = o.accounts ?? [];
  const graceMs = o.reconnectGraceMs ?? 2_000;
  const clients = new Set<Client>();
  const roomIds = new Map<string, string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const posted: FakeTwitchChat['posted'] = [];
  let refuseUntil = 0;

  const roomId = (channel: string) => {
    if (!roomIds.has(channel)) roomIds.set(channel, String(100_000_001 + roomIds.size));
    return roomIds.get(channel)!;
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  /** Whether the lines went out: a socket being closed (dropped, RECONNECTed) takes nothing more. */
  const send = (c: Client, ...lines: string[]): boolean => {
    if (c.ws.readyState !== c.ws.OPEN) return false;
    c.ws.send(lines.map((l) => l + '\r\n').join(''));
    return true;
  };
  /** Tags only go to a client that asked for them, as on Twitch. */
  const withTags = (c: Client, tags: Record<string, string>, rest: string) => (c.caps.has('twitch.tv/tags') ? `${tagString(tags)} ${rest}` : rest);

  const userTags = (a: FakeTwitchAccount) => ({ 'badge-info': '', badges: '', color: '', 'display-name': a.login, 'emote-sets': '0', 'user-id': a.userId, 'user-type': '' });

  function refuse(c: Client, text: string) {
    send(c, `:${HOST} NOTICE * :${text}`);
    c.ws.close();
  }

  function login(c: Client, nick: string) {
    if (Date.now() < refuseUntil) return refuse(c, LOGIN_FAILED);
    if (/^justinfan\d+$/.test(nick)) c.account = null;
    else if (!c.pass) return refuse(c, 'Improperly formatted auth');
    else {
      const account = accounts.find((a) => a.login === nick && `oauth:${a.token}` === c.pass);
      if (!account) return refuse(c, LOGIN_FAILED);
      c.account = account;
    }
    c.nick = nick;
    const n = (code: string, text: string) => `:${HOST} ${code} ${nick} ${text}`;
    const welcome = [
      n('001', ':Welcome, GLHF!'),
      n('002', `:Your host is ${HOST}`),
      n('003', ':This server is rather new'),
      n('004', ':-'),
      n('375', ':-'),
      n('372', ':You are in a maze of twisty passages, all alike.'),
      n('376', ':>'),
    ];
    if (c.account && c.caps.has('twitch.tv/commands')) welcome.push(withTags(c, userTags(c.account), `:${HOST} GLOBALUSERSTATE`));
    send(c, ...welcome);
  }

  function join(c: Client, channel: string) {
    if (!/^#[a-z0-9_]{1,25}$/.test(channel)) {
      return send(c, withTags(c, { 'msg-id': 'msg_channel_suspended' }, `:${HOST} NOTICE ${channel} :This channel does not exist or has been suspended.`));
    }
    c.channels.add(channel);
    const nick = c.nick!;
    const lines = [`:${nick}!${nick}@${nick}.${HOST} JOIN ${channel}`, `:${nick}.${HOST} 353 ${nick} = ${channel} :${nick}`, `:${nick}.${HOST} 366 ${nick} ${channel} :End of /NAMES list`];
    if (c.caps.has('twitch.tv/commands')) {
      if (c.account) lines.push(withTags(c, { ...userTags(c.account), mod: '0', subscriber: '0' }, `:${HOST} USERSTATE ${channel}`));
      const room = { 'emote-only': '0', 'followers-only': '-1', r9k: '0', 'room-id': roomId(channel.slice(1)), slow: '0', 'subs-only': '0' };
      lines.push(withTags(c, room, `:${HOST} ROOMSTATE ${channel}`));
    }
    send(c, ...lines);
  }

  function onLine(c: Client, line: string) {
    // `COMMAND params… [:trailing]`; clients send no tags or prefix, and a stray one is just an unknown command.
    const colon = line.indexOf(' :');
    const head = (colon < 0 ? line : line.slice(0, colon)).split(' ').filter(Boolean);
    const trailing = colon < 0 ? undefined : line.slice(colon + 2);
    const command = (head[0] ?? '').toUpperCase();
    const args = head.slice(1);

    if (command === 'CAP') {
      const sub = (args[0] ?? '').toUpperCase();
      if (sub === 'LS') send(c, `:${HOST} CAP * LS :${CAPS.join(' ')}`);
      if (sub === 'REQ') {
        const requested = trailing ?? args.slice(1).join(' ');
        const names = requested.split(' ').filter(Boolean);
        const ok = names.every((cap) => CAPS.includes(cap));
        if (ok) for (const cap of names) c.caps.add(cap);
        send(c, `:${HOST} CAP * ${ok ? 'ACK' : 'NAK'} :${requested}`);
      }
      return;
    }
    if (command === 'PASS') return void (c.pass = trailing ?? args[0]);
    if (command === 'NICK') return c.account === undefined ? login(c, (args[0] ?? trailing ?? '').toLowerCase()) : undefined;
    if (command === 'USER') return;
    if (command === 'PING') return send(c, `:${HOST} PONG ${HOST} :${trailing ?? args[0] ?? ''}`);
    if (command === 'PONG') return void (c.awaitingPong = false);
    if (c.account === undefined) return; // nothing else counts before the login
    if (command === 'JOIN') return (args[0] ?? trailing ?? '').split(',').forEach((ch) => join(c, ch.toLowerCase()));
    if (command === 'PART') {
      const channel = (args[0] ?? '').toLowerCase();
      c.channels.delete(channel);
      return send(c, `:${c.nick}!${c.nick}@${c.nick}.${HOST} PART ${channel}`);
    }
    if (command === 'PRIVMSG') {
      const channel = (args[0] ?? '').toLowerCase();
      // Anonymous logins cannot post; Twitch ignores them without a word.
      if (!c.account || !c.channels.has(channel) || trailing === undefined) return;
      posted.push({ channel: channel.slice(1), login: c.account.login, text: trailing });
      send(c, withTags(c, { ...userTags(c.account), mod: '0', subscriber: '0' }, `:${HOST} USERSTATE ${channel}`));
      return;
    }
    send(c, `:${HOST} 421 ${c.nick} ${command} :Unknown command`);
  }

  function validate(req: IncomingMessage, res: ServerResponse) {
    const token = /^OAuth (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const account = accounts.find((a) => a.token === token);
    if (!account) return sendJson(res, 401, { status: 401, message: 'invalid access token' });
    sendJson(res, 200, { client_id: 'fakeclientid0123456789', login: account.login, scopes: ['chat:edit', 'chat:read'], user_id: account.userId, expires_in: 5_000_000 });
  }

  const server = createServer((req, res) => {
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/auth/validate') return validate(req, res);
    sendJson(res, 404, { status: 404, message: 'not found' });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    const c: Client = { ws, caps: new Set(), channels: new Set(), awaitingPong: false };
    clients.add(c);
    ws.on('message', (data) => {
      for (const line of data.toString().split(/\r?\n/)) if (line.trim()) onLine(c, line);
    });
    ws.on('close', () => clients.delete(c));
    ws.on('error', () => clients.delete(c));
  });

  const pinger = setInterval(() => {
    for (const c of clients) {
      if (c.account === undefined) continue;
      if (c.awaitingPong) c.ws.terminate();
      else {
        c.awaitingPong = true;
        send(c, `PING :${HOST}`);
      }
    }
  }, o.pingEveryMs ?? 300_000);

  const port = await listen(server, 0, '127.0.0.1');
  const inChannel = (channel: string) => [...clients].filter((c) => c.account !== undefined && c.channels.has(`#${channel.toLowerCase()}`));

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    posted,
    say(channel, l) {
      // A chat line is one IRC line: Twitch never delivers CR, LF or NUL inside one, so neither may a test.
      if (/[\r\n\0]/.test(l.text)) throw new Error('a Twitch chat line cannot contain CR, LF or NUL');
      const ch = channel.toLowerCase();
      const id = l.id ?? randomUUID();
      const sentAt = l.sentAt ?? Date.now();
      const login = loginOf(l);
      const tags = {
        'badge-info': '', badges: '', color: '', 'display-name': l.displayName, emotes: '', id, mod: '0', 'room-id': roomId(ch),
        subscriber: '0', 'tmi-sent-ts': String(sentAt), turbo: '0', 'user-id': l.userId, 'user-type': '',
      };
      const delivered = inChannel(ch).filter((c) => send(c, withTags(c, tags, `:${login}!${login}@${login}.${HOST} PRIVMSG #${ch} :${l.text}`))).length;
      return { id, sentAt, delivered };
    },
    raw(line) {
      for (const c of clients) if (c.account !== undefined) send(c, line);
    },
    reconnectAll() {
      for (const c of clients) {
        send(c, `:${HOST} RECONNECT`);
        later(graceMs, () => c.ws.close());
      }
    },
    dropAll() {
      for (const c of clients) c.ws.terminate();
    },
    refuseLogins(ms) {
      refuseUntil = Date.now() + ms;
    },
    joined: (channel) => inChannel(channel).length > 0,
    clients: () => clients.size,
    async close() {
      clearInterval(pinger);
      for (const t of timers) clearTimeout(t);
      for (const c of clients) c.ws.terminate();
      wss.close();
      await closeServer(server);
    },
  };
}

/** What the demo chatters need to know about the live round: its options, or null between rounds. */
export type ChatRound = { options: ReadonlyArray<{ id: string; name: string }> } | null;

/**
 * Simulated chatters for `npm start -- --demo`: `accounts` viewers saying about `linesPerSecond` lines in `channel`,
 * mostly votes for the live round (`!a`, a fighter's name, `!vote b`), some chatter, and repeats, as real chat has.
 */
export function startFakeChatters(o: {
  chat: Pick<FakeTwitchChat, 'say'>;
  channel: string;
  accounts: number;
  linesPerSecond: number;
  round: () => ChatRound;
  random?: () => number;
}): { stop(): void } {
  const random = o.random ?? Math.random;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const names = ['Pixel', 'Turbo', 'Mochi', 'Gamer', 'Nova', 'Kappa', 'Blaze', 'Otter'];
  const chatter = ['gg', 'LUL', 'that combo!', 'PogChamp', 'who wins this?', 'first time here', 'KEKW'];
  const timer = setInterval(
    () => {
      const i = Math.floor(random() * o.accounts);
      const round = o.round();
      let text = pick(chatter);
      if (round && round.options.length > 0 && random() < 0.8) {
        const option = pick(round.options);
        const r = random();
        // A name command as chat spells it (chatName): `!senor` for "Señor Taco", `!dr` for "Dr. Hyde".
        const word = chatName(option.name.split(/\s+/)[0] ?? '') || option.id.toLowerCase();
        text = r < 0.6 ? `!${option.id.toLowerCase()}` : r < 0.85 ? `!${word}` : `!vote ${option.id.toLowerCase()}`;
      }
      o.chat.say(o.channel, { userId: String(700_000_000 + i), displayName: `${names[i % names.length]}${i}`, text });
    },
    Math.max(10, 1_000 / o.linesPerSecond),
  );
  return { stop: () => clearInterval(timer) };
}
