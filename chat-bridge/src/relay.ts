/**
 * The relay: chat lines in, batches of votes out to the edge (`POST /api/chat/votes`, one request per batch).
 *
 * - Chatter is dropped on arrival (parseChatCommand, the room's own parser), so a busy chat costs no buffer.
 * - One request in flight at a time, across sources in turn (a batch carries one source). The next leaves as soon
 *   as the previous one is answered, but never sooner than MIN_INTERVAL_MS after it started: a lone vote goes out
 *   at once, a burst goes out as a few batches of up to CHAT_BATCH_MAX instead of a request per line.
 * - A batch that fails is retried with backoff: re-sending is safe, the room counts an account once per round
 *   and answers a repeat as a duplicate.
 * - Each source's buffer is bounded (CHAT_BUFFER_MAX). When it is full the OLDEST vote is dropped: a vote counts
 *   only for the round live at its platform timestamp, so after a long outage the oldest votes are the ones whose
 *   round has ended (the room would drop them as stale), and the newest are the live round's.
 * - Only the chats this bridge holds the room's lease on are sent (lease-keeper.ts): another bridge's are dropped
 *   on arrival (standby), and one whose lease ran out with the edge away waits in its buffer until the room says
 *   whose it is. The room itself refuses a batch from a bridge that does not hold the source (`notLeased`).
 */
import { CHAT_BATCH_MAX, CHAT_BATCH_MAX_BYTES, ChatVote, ChatVoteResult, parseChatCommand, toWellFormed, type ChatSourceId, type ChatVoteBatch } from '@stream-fighter/core';
import type { LeaseKeeper } from './lease-keeper.ts';
import type { Logger } from './log.ts';
import type { ChatLine } from './source.ts';

/** Least time between the starts of two requests. */
export const MIN_INTERVAL_MS = 25;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Answers that say the edge cannot take votes now, not that the batch is wrong, so the batch waits and goes again:
 * a token it does not take (401/403: fixed on one side or the other, no vote is lost meanwhile), an edge without
 * the route yet (404), a timeout (408), its rate limit (429); and every 5xx. Any other 4xx refuses the batch itself,
 * which re-sending cannot change.
 */
const EDGE_NOT_READY = new Set([401, 403, 404, 408, 429]);
/** Warnings that could repeat per line or per request are written at most this often, with the counts between. */
const WARN_EVERY_MS = 5_000;

export interface SourceCounts {
  /** Votes waiting, plus those in the request in flight. */
  buffered: number;
  /** Votes in batches the edge answered. */
  sent: number;
  requests: number;
  dropped: {
    /** Not a command: dropped before the buffer. */
    chatter: number;
    /** A command the vote schema refuses (a malformed voter id from the platform). */
    invalid: number;
    /** The operator paused the source. */
    paused: number;
    /** Another bridge holds the source's lease: this one reads its chat as a standby and drops the lines. */
    standby: number;
    /** The buffer was full. */
    overflow: number;
    /** In a batch the edge refused as malformed (a 4xx other than auth and rate limits): re-sending cannot help. */
    rejected: number;
  };
  /** What the room made of the votes sent, from the edge's answers. */
  room: Omit<ChatVoteResult, 'paused' | 'notLeased'>;
}

export interface EdgeState {
  /** When the first of the failures in a row happened (ms epoch), or null while requests succeed. */
  failingSince: number | null;
  lastError: string | null;
}

export interface Relay {
  push(source: ChatSourceId, line: ChatLine): void;
  /** The sources the operator paused: their votes are dropped here rather than sent to be refused. */
  setPaused(paused: readonly ChatSourceId[]): void;
  isPaused(source: ChatSourceId): boolean;
  /** The leases changed (a status answer): another bridge's votes are dropped, this one's held ones go. */
  leasesChanged(): void;
  counts(): Map<ChatSourceId, SourceCounts>;
  edge(): EdgeState;
  /** Waits until every buffered vote has been answered, or `timeoutMs`; returns how many are left. */
  drain(timeoutMs: number): Promise<number>;
  /** Stops sending; a request in flight is aborted. */
  stop(): void;
}

export function createRelay(o: {
  edgeUrl: string;
  token: string;
  bufferMax: number;
  log: Logger;
  /** This bridge's name, sent with each batch (BRIDGE_NAME); absent, the room takes it as "default". */
  bridge?: string;
  /** Which sources this bridge holds; absent, every source is sent (a room that does not lease). */
  leases?: LeaseKeeper;
}): Relay {
  const url = new URL('/api/chat/votes', o.edgeUrl).href;
  const queues = new Map<ChatSourceId, ChatVote[]>();
  const stats = new Map<ChatSourceId, SourceCounts>();
  const paused = new Set<ChatSourceId>();
  const edge: EdgeState = { failingSince: null, lastError: null };
  const idle = new Set<() => void>();
  let inFlight: { source: ChatSourceId; votes: ChatVote[]; abort: AbortController } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastStart = -Infinity;
  let failures = 0;
  /** The edge's Retry-After on a 429, which replaces the backoff for that retry. */
  let retryAfter: number | undefined;
  let turn = 0;
  let stopped = false;
  const warned = new Map<string, { at: number; since: number }>();

  const standing = (source: ChatSourceId) => o.leases?.standing(source) ?? 'held';
  const countsOf = (source: ChatSourceId): SourceCounts => {
    let c = stats.get(source);
    if (!c) {
      c = { buffered: 0, sent: 0, requests: 0, dropped: { chatter: 0, invalid: 0, paused: 0, standby: 0, overflow: 0, rejected: 0 }, room: { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0 } };
      stats.set(source, c);
    }
    return c;
  };
  const queueOf = (source: ChatSourceId): ChatVote[] => {
    let q = queues.get(source);
    if (!q) queues.set(source, (q = []));
    return q;
  };

  /** A warning at most every WARN_EVERY_MS per key, carrying how many times it happened since the last one. */
  const warnThrottled = (key: string, event: string, fields: Record<string, unknown>) => {
    const now = Date.now();
    const w = warned.get(key) ?? { at: -Infinity, since: 0 };
    w.since++;
    if (now - w.at >= WARN_EVERY_MS) {
      o.log.warn(event, { ...fields, times: w.since });
      w.at = now;
      w.since = 0;
    }
    warned.set(key, w);
  };

  const buffered = () => [...queues.values()].reduce((n, q) => n + q.length, 0) + (inFlight?.votes.length ?? 0);

  const settleIdle = () => {
    if (buffered() > 0) return;
    for (const done of idle) done();
    idle.clear();
  };

  const schedule = () => {
    if (stopped || inFlight || timer) return;
    if (buffered() === 0) return settleIdle();
    if (readySources().length === 0) return;
    const wait = failures > 0 ? backoff(failures) : Math.max(0, lastStart + MIN_INTERVAL_MS - performance.now());
    // Even at 0 the send waits for the next turn of the event loop, so lines that arrive together leave together.
    timer = setTimeout(() => {
      timer = null;
      // Timers run on the event loop's cached clock and can fire a little early by this one: never closer together.
      if (failures === 0 && performance.now() - lastStart < MIN_INTERVAL_MS) return schedule();
      void send();
    }, wait);
  };

  /** Sources with votes to send. One whose lease ran out waits (not sent) until a status answer says whose it is. */
  const readySources = () => [...queues].filter(([s, q]) => q.length > 0 && standing(s) === 'held').map(([s]) => s);

  const nextSource = (): ChatSourceId | null => {
    const ready = readySources();
    if (ready.length === 0) return null;
    return ready[turn++ % ready.length]!;
  };

  const send = async () => {
    const source = nextSource();
    if (!source) return settleIdle();
    const votes = queueOf(source).splice(0, batchLength(source, o.bridge, queueOf(source)));
    const abort = new AbortController();
    inFlight = { source, votes, abort };
    lastStart = performance.now();
    const c = countsOf(source);
    c.requests++;
    let retry = false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source, ...(o.bridge ? { bridge: o.bridge } : {}), votes } satisfies ChatVoteBatch),
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await res.text();
      if (res.ok) {
        succeeded(source, votes, text);
      } else if (!EDGE_NOT_READY.has(res.status) && res.status < 500) {
        c.dropped.rejected += votes.length;
        o.log.error('relay.batch-rejected', { source, votes: votes.length, status: res.status, body: text.slice(0, 300) });
        edgeOk();
      } else {
        retry = true;
        failed(`${res.status} ${text.slice(0, 200)}`, res.status === 429 ? retryAfterMs(res.headers.get('retry-after')) : undefined);
      }
    } catch (e) {
      if (stopped) return;
      retry = true;
      failed(e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e));
    } finally {
      if (inFlight?.votes === votes) inFlight = null;
    }
    if (retry && !stopped) {
      if (paused.has(source)) {
        c.dropped.paused += votes.length;
      } else if (standing(source) === 'standby') {
        c.dropped.standby += votes.length;
      } else {
        // Back at the front of its queue, where the bound applies to it like to any other waiting vote.
        const q = queueOf(source);
        q.unshift(...votes);
        trim(source, q);
      }
    }
    schedule();
  };

  const succeeded = (source: ChatSourceId, votes: ChatVote[], body: string) => {
    const c = countsOf(source);
    c.sent += votes.length;
    edgeOk();
    let parsed: ReturnType<typeof ChatVoteResult.safeParse>;
    try {
      parsed = ChatVoteResult.safeParse(JSON.parse(body));
    } catch {
      parsed = ChatVoteResult.safeParse(undefined);
    }
    if (!parsed.success) {
      warnThrottled('bad-answer', 'relay.bad-answer', { source, body: body.slice(0, 200) });
      return;
    }
    const r = parsed.data;
    for (const k of ['counted', 'duplicate', 'stale', 'ignored', 'limited'] as const) c.room[k] += r[k];
    if (r.limited > 0) warnThrottled(`limited:${source}`, 'relay.limited', { source, limited: r.limited });
    if (r.paused && !paused.has(source)) {
      o.log.info('relay.paused', { source, by: 'vote answer' });
      pause(source);
    }
    if (r.notLeased) {
      // Another bridge holds it (the lease moved while this batch was on its way): a standby from now on.
      o.log.info('relay.not-leased', { source, votes: votes.length });
      o.leases?.lost(source);
      dropStandby();
    }
  };

  /** Drops what is buffered for sources another bridge holds. */
  const dropStandby = () => {
    for (const [source, q] of queues) {
      if (q.length === 0 || standing(source) !== 'standby') continue;
      countsOf(source).dropped.standby += q.length;
      q.length = 0;
    }
  };

  const edgeOk = () => {
    if (edge.failingSince !== null) o.log.info('relay.edge-back', { failures, downMs: Date.now() - edge.failingSince });
    failures = 0;
    edge.failingSince = null;
    edge.lastError = null;
  };

  const failed = (error: string, afterMs?: number) => {
    failures++;
    edge.failingSince ??= Date.now();
    edge.lastError = error;
    retryAfter = afterMs;
    warnThrottled('edge-failing', 'relay.edge-failing', { error, failures, buffered: buffered() });
  };

  const backoff = (n: number): number => {
    if (retryAfter !== undefined) return retryAfter;
    const ms = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (n - 1));
    // ±20 %: bridges restarted together do not retry in step.
    return Math.round(ms * (0.8 + 0.4 * Math.random()));
  };

  const trim = (source: ChatSourceId, q: ChatVote[]) => {
    const over = q.length - o.bufferMax;
    if (over <= 0) return;
    q.splice(0, over);
    countsOf(source).dropped.overflow += over;
    warnThrottled(`overflow:${source}`, 'relay.overflow', { source, dropped: countsOf(source).dropped.overflow, bufferMax: o.bufferMax });
  };

  const pause = (source: ChatSourceId) => {
    paused.add(source);
    const q = queueOf(source);
    countsOf(source).dropped.paused += q.length;
    q.length = 0;
  };

  return {
    push(source, line) {
      if (stopped) return;
      const c = countsOf(source);
      if (parseChatCommand(line.line) === null) {
        c.dropped.chatter++;
        return;
      }
      if (paused.has(source)) {
        c.dropped.paused++;
        return;
      }
      if (standing(source) === 'standby') {
        c.dropped.standby++;
        return;
      }
      const vote = ChatVote.safeParse({ id: line.id, voter: line.voter, name: displayName(line), line: toWellFormed(line.line), at: Math.round(line.at) });
      if (!vote.success) {
        c.dropped.invalid++;
        warnThrottled(`invalid:${source}`, 'relay.invalid-line', { source, error: vote.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        return;
      }
      const q = queueOf(source);
      q.push(vote.data);
      trim(source, q);
      schedule();
    },
    setPaused(list) {
      const next = new Set(list);
      for (const s of next) if (!paused.has(s)) pause(s);
      for (const s of [...paused]) if (!next.has(s)) paused.delete(s);
      settleIdle();
    },
    isPaused: (source) => paused.has(source),
    leasesChanged() {
      dropStandby();
      settleIdle();
      schedule();
    },
    counts() {
      for (const [s, q] of queues) countsOf(s).buffered = q.length + (inFlight?.source === s ? inFlight.votes.length : 0);
      return new Map([...stats].map(([s, c]) => [s, structuredClone(c)]));
    },
    edge: () => ({ ...edge }),
    async drain(timeoutMs) {
      if (buffered() > 0) {
        let release!: () => void;
        const done = new Promise<void>((r) => idle.add((release = r)));
        const limit = setTimeout(release, timeoutMs);
        await done;
        clearTimeout(limit);
        idle.delete(release);
      }
      return buffered();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight?.abort.abort();
    },
  };
}

/**
 * How many of the queue's first votes make one batch: at most CHAT_BATCH_MAX, and a body within what the edge
 * reads (a line of control characters is six bytes a character once escaped in JSON).
 */
function batchLength(source: ChatSourceId, bridge: string | undefined, q: readonly ChatVote[]): number {
  // The body around the votes, exactly: a source id can be 136 characters long.
  let bytes = Buffer.byteLength(JSON.stringify({ source, ...(bridge ? { bridge } : {}), votes: [] }));
  let n = 0;
  while (n < q.length && n < CHAT_BATCH_MAX) {
    bytes += Buffer.byteLength(JSON.stringify(q[n])) + 1;
    if (bytes > CHAT_BATCH_MAX_BYTES) break;
    n++;
  }
  return Math.max(1, n);
}

/** The name chat shows, cut to what the vote schema takes; the account id when the platform gave none. */
function displayName(line: ChatLine): string {
  const name = toWellFormed(line.name.trim().slice(0, 64));
  return name || line.voter.slice(line.voter.indexOf(':') + 1).slice(0, 64);
}

function retryAfterMs(header: string | null): number | undefined {
  const s = Number(header);
  return Number.isFinite(s) && s > 0 ? Math.min(s * 1000, 60_000) : undefined;
}
