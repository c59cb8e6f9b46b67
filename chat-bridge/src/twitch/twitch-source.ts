/**
 * Twitch chat as chat sources: one per channel, each with its own @twurple/chat client (IRC over WebSocket).
 *
 * One client per channel rather than one shared: each source connects, reconnects, reports and stops on its own,
 * which is what the bridge and the operator's pause work with, at the cost of one socket per channel (at most 16).
 * Twitch's limits stay far off: reconnecting every channel at once is 16 logins in Twitch's 20-per-10-seconds, and
 * one announcement per round per channel is below its 20 messages per 30 seconds for an account.
 *
 * Anonymous (`justinfanNNNNN`, read-only) without a bot login; with one, the source can also `say`. twurple reconnects
 * a dropped socket by itself, for ever, with a Fibonacci backoff capped at 2 minutes, and retries a refused login the
 * same way. What it leaves to us: Twitch's RECONNECT (it has no handler for it), joining the channel again after
 * each login, and a token the token check refuses (it then stops for good); the source does those.
 */
import { ChatSourceId, type ChatSourceState } from '@stream-fighter/core';
import { ChatClient, Reconnect, type ChatMessage } from '@twurple/chat';
import type { TwitchConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ChatLine, ChatSource } from '../source.ts';
import { chatClientOptions } from './client-options.ts';

/** Retries of our own (join, token): 2 s, 4 s, … capped at 2 minutes, like twurple's own. */
const backoffMs = (failures: number) => Math.min(120_000, 2_000 * 2 ** Math.min(failures, 6));
/** How long `stop()` waits for the socket to close. */
const STOP_WAIT_MS = 2_000;

export function createTwitchSources(config: TwitchConfig, log: Logger): ChatSource[] {
  return config.channels.map((channel) => twitchSource(channel, config, log));
}

/**
 * A chat line as a ChatLine, or null when it cannot be a vote: no numeric user id, no message id, or no usable
 * `tmi-sent-ts` (without it the line cannot be placed in a round).
 */
function toChatLine(user: string, text: string, msg: ChatMessage): ChatLine | null {
  const userId = msg.userInfo.userId;
  const id = msg.id;
  const at = msg.date.getTime();
  if (!userId || !/^\d{1,20}$/.test(userId) || !id || id.length > 128 || !Number.isSafeInteger(at) || at <= 0) return null;
  return { id, voter: `twitch:${userId}`, name: msg.userInfo.displayName || user, line: text, at };
}

export function twitchSource(channel: string, config: Pick<TwitchConfig, 'bot' | 'ircUrl'>, log: Logger): ChatSource {
  const id = ChatSourceId.parse(`twitch:${channel}`);
  let state: ChatSourceState = 'connecting';
  let detail: string | undefined;
  let client: ChatClient | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let logged = '';

  const set = (next: ChatSourceState, why?: string) => {
    state = next;
    detail = why;
    if (logged === `${next} ${why}`) return;
    logged = `${next} ${why}`;
    log[next === 'error' ? 'warn' : 'info']('twitch.state', { source: id, state: next, ...(why ? { detail: why } : {}) });
  };
  const retry = (c: ChatClient, fn: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(() => client === c && fn(), backoffMs(failures++));
  };

  async function join(c: ChatClient) {
    try {
      await c.join(channel);
      if (client !== c) return;
      failures = 0;
      set('connected');
    } catch (e) {
      if (client !== c) return;
      // A join Twitch refuses (a suspended or unknown channel) or never answers; try again while logged in.
      set('error', `could not join #${channel}: ${e instanceof Error ? e.message : String(e)}`);
      retry(c, () => c.isConnected && void join(c));
    }
  }

  function connect(onLine: (line: ChatLine) => void) {
    const c = new ChatClient(chatClientOptions(config.ircUrl, config.bot, (level, message) => log[level]('twitch.client', { source: id, message })));
    client = c;
    c.onAuthenticationSuccess(() => {
      if (config.bot && c.irc.currentNick !== config.bot.username) {
        log.warn('twitch.bot-name', { source: id, detail: `the token belongs to ${c.irc.currentNick}, not TWITCH_BOT_USERNAME ${config.bot.username}` });
      }
      void join(c);
    });
    c.onMessage((ch, user, text, msg) => {
      if (client !== c || ch !== channel) return;
      const line = toChatLine(user, text, msg);
      if (!line) return;
      // The consumer's failure is its own: it must not reach the socket's message loop and stop the client.
      try {
        onLine(line);
      } catch (e) {
        log.error('twitch.line-handler', { source: id, error: e instanceof Error ? e.message : String(e) });
      }
    });
    // A refused login is followed by the server closing the socket: the error stays the news until connected.
    c.onDisconnect((manually, reason) => {
      if (client === c && !manually && state !== 'error') set('reconnecting', reason?.message ? `connection lost: ${reason.message}` : 'connection lost');
    });
    c.onAuthenticationFailure((text, attempt) => {
      if (client === c) set('error', `Twitch refused the login (${text}); retry ${attempt}`);
    });
    // The token check failed (revoked token, wrong scopes, Twitch unreachable): twurple quits for good, so retry.
    c.onTokenFetchFailure((e) => {
      if (client !== c) return;
      set('error', `the Twitch token was not accepted: ${e.message}`);
      retry(c, () => c.reconnect());
    });
    // Twitch is about to close this connection for maintenance: leave now, while the next server takes logins.
    c.irc.onTypedMessage(Reconnect, () => {
      if (client !== c) return;
      set('reconnecting', 'Twitch asked the client to reconnect');
      setImmediate(() => client === c && c.reconnect());
    });
    c.connect();
  }

  const source: ChatSource = {
    id,
    start(onLine) {
      if (client) throw new Error(`${id} is already started`);
      set('connecting');
      connect(onLine);
    },
    async stop() {
      clearTimeout(timer);
      const c = client;
      client = null;
      if (!c) return;
      const open = c.isConnected || c.isConnecting;
      const closed = new Promise<void>((resolve) => {
        const l = c.onDisconnect(() => {
          l.unbind();
          resolve();
        });
        setTimeout(resolve, STOP_WAIT_MS).unref();
      });
      c.quit();
      if (open) await closed;
    },
    status: () => (detail ? { state, detail } : { state }),
  };
  if (config.bot) {
    source.say = async (text: string) => {
      // Not while away: a queued announcement would land in a later round.
      if (!client || state !== 'connected') throw new Error(`${id} is not connected (${state})`);
      await client.say(channel, text);
    };
  }
  return source;
}
