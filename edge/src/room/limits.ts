/**
 * The room's WebSocket limits: a size cap checked before anything is parsed, a token bucket per connection, a
 * flood that closes its connection, and warn lines and error replies on budgets, so one client can neither keep
 * the room busy nor fill the logs. Counters live in memory: a hibernated room wakes with full buckets, which is
 * harmless since it only hibernates when its clients are quiet.
 */
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import type { Role } from './gate.ts';

/**
 * WebSocket close codes. An application may only send 1000 or 3000-4999, so these are HTTP's 401 and 429 and the
 * standard 1009 (too big) and 1008 (policy), each in the 4000s.
 */
export const CLOSE = { unauthorized: 4001, tooLarge: 4009, flood: 4008, stalled: 4010, silent: 4011, tooManyConnections: 4029 } as const;

const MINUTE = 60_000;
const FLOOD_WINDOW_MS = 10_000;
/** The whole room may log this many times one connection's budget per minute, however many connections flood. */
const ROOM_LOG_FACTOR = 10;
/** Full snapshots a connection may ask for a minute (a client missing messages now and then needs a few). */
const RESYNCS_PER_MIN = 30;

export type Verdict =
  /** Handle the message. */
  | { kind: 'ok' }
  /** Drop it quietly: the connection is already closing, or it was told it is over the rate. */
  | { kind: 'drop' }
  /** Drop it and tell the client once, so an honest bug is visible. */
  | { kind: 'rate-limited' }
  /** Close the connection: CLOSE.flood or CLOSE.tooLarge. */
  | { kind: 'close'; code: number; reason: string; bytes?: number };

interface ConnectionState {
  tokens: number;
  at: number;
  drops: number;
  dropsSince: number;
  closing: boolean;
  logs: Budget;
  replies: Budget;
  resyncs: Budget;
}

/** N events per minute, then nothing until the minute is over. */
class Budget {
  private used = 0;
  private since = -Infinity;
  private readonly perMinute: number;

  constructor(perMinute: number) {
    this.perMinute = perMinute;
  }

  take(now: number): boolean {
    if (now - this.since >= MINUTE) {
      this.since = now;
      this.used = 0;
    }
    return this.used++ < this.perMinute;
  }
}

export class ConnectionLimits {
  private readonly states = new WeakMap<object, ConnectionState>();
  private readonly roomLogs: Budget;
  private suppressed = 0;
  private suppressedSince = 0;

  private readonly config: AppConfig;

  constructor(config: AppConfig) {
    this.config = config;
    this.roomLogs = new Budget(config.WS_LOG_LINES_PER_MIN * ROOM_LOG_FACTOR);
  }

  /** What to do with one incoming message, decided from its size and the connection's rate alone. */
  check(conn: object, role: Role, raw: string | ArrayBuffer | ArrayBufferView, now: number): Verdict {
    const s = this.state(conn, now);
    if (s.closing) return { kind: 'drop' };
    const max = role === 'renderer' ? this.config.WS_RENDERER_MAX_MESSAGE_BYTES : this.config.WS_MAX_MESSAGE_BYTES;
    const bytes = byteLength(raw, max);
    if (bytes > max) {
      s.closing = true;
      return { kind: 'close', code: CLOSE.tooLarge, reason: `message over ${max} bytes`, bytes };
    }
    const { WS_MESSAGES_PER_SEC: rate, WS_MESSAGE_BURST: burst } = this.config;
    s.tokens = Math.min(burst, s.tokens + ((now - s.at) * rate) / 1000);
    s.at = now;
    if (s.tokens >= 1) {
      s.tokens -= 1;
      return { kind: 'ok' };
    }
    if (now - s.dropsSince >= FLOOD_WINDOW_MS) {
      s.dropsSince = now;
      s.drops = 0;
    }
    s.drops++;
    if (s.drops >= this.config.WS_FLOOD_CLOSE_AFTER) {
      s.closing = true;
      return { kind: 'close', code: CLOSE.flood, reason: 'message rate over the limit' };
    }
    return s.drops === 1 ? { kind: 'rate-limited' } : { kind: 'drop' };
  }

  /**
   * Whether this connection may be sent one more full snapshot on request this minute: a resync costs the room a
   * 2-3 KB send for a 20-byte ask, so a client asking in a loop gets a minute's worth, then waits.
   */
  mayResync(conn: object, now: number): boolean {
    return this.state(conn, now).resyncs.take(now);
  }

  /** Whether this connection may get one more error reply this minute. */
  mayReply(conn: object, now: number): boolean {
    return this.state(conn, now).replies.take(now);
  }

  /**
   * A warn line, unless this connection or the room has spent its budget for the minute. What is left out is
   * counted and reported in one line once the room's minute is over. A line that comes once in a connection's
   * life (its close) skips the connection's budget, never the room's.
   */
  warn(conn: object, event: string, fields: Record<string, unknown>, now: number, perConnection = true): void {
    if (this.suppressed > 0 && now - this.suppressedSince >= MINUTE) {
      log.warn('ws.logs-suppressed', { room: fields.room, lines: this.suppressed, sinceMs: now - this.suppressedSince });
      this.suppressed = 0;
    }
    if ((!perConnection || this.state(conn, now).logs.take(now)) && this.roomLogs.take(now)) {
      log.warn(event, fields);
      return;
    }
    if (this.suppressed === 0) this.suppressedSince = now;
    this.suppressed++;
  }

  /** Lines left out so far (tests and health read it). */
  get suppressedLines(): number {
    return this.suppressed;
  }

  private state(conn: object, now: number): ConnectionState {
    let s = this.states.get(conn);
    if (!s) {
      s = {
        tokens: this.config.WS_MESSAGE_BURST,
        at: now,
        drops: 0,
        dropsSince: -Infinity,
        closing: false,
        logs: new Budget(this.config.WS_LOG_LINES_PER_MIN),
        replies: new Budget(this.config.WS_LOG_LINES_PER_MIN),
        resyncs: new Budget(RESYNCS_PER_MIN),
      };
      this.states.set(conn, s);
    }
    return s;
  }
}

/**
 * The UTF-8 size of a message as far as the cap cares: at most `max` exactly when the message fits. A string's
 * UTF-8 size is at least its length and at most three times it, so only a string near the cap is encoded, and an
 * oversized one never is.
 */
export function byteLength(raw: string | ArrayBuffer | ArrayBufferView, max: number): number {
  if (typeof raw !== 'string') return raw.byteLength;
  if (raw.length > max) return raw.length;
  if (raw.length * 3 <= max) return raw.length;
  return new TextEncoder().encode(raw).byteLength;
}

/** The tag counting a viewer's connections by address: the keyed hash of its prefix, never the address itself. */
export function addressTag(key: string): string {
  return `addr:${key}`;
}

export function addressTagOf(tags: readonly string[]): string | undefined {
  return tags.find((t) => t.startsWith('addr:'));
}
