/**
 * The chat sources (a Twitch channel, a YouTube live chat) as the room knows them: each bridge's latest report of
 * each and when it came, which bridge holds each one's lease (chat-leases.ts), its votes counted in the current
 * round, and the operator's pause flags. Reports and counts are memory only (the bridges report again within
 * seconds); leases and pause flags live in the room's SQLite. All are bounded by CHAT_SOURCES_MAX: the least
 * recently heard source is forgotten first (its lease with it), and a pause beyond the bound is refused.
 */
import { CHAT_SOURCE_STALE_MS, CHAT_SOURCES_MAX, type ChatLease, type ChatSourceReport, type ChatSourceState, type ChatSourceView } from '@stream-fighter/core';
import { CHAT_LEASE_MARGIN_MS, CHAT_LEASE_MS, ChatLeases, type ChatLeaseTimes, type ChatReader } from './chat-leases.ts';

/** One bridge's latest report of a source. */
interface Reading {
  state: ChatSourceState;
  detail?: string | undefined;
  at: number;
}

interface Heard {
  /** Each bridge's latest report, by bridge name; none while only votes have arrived (a source that delivers votes is connected). */
  readings: Map<string, Reading>;
  seenAt: number;
  pollId: string | null;
  votes: number;
}

/** Bridges remembered per source: a hot standby or two is the use; more is a stolen token's noise. */
const READERS_MAX = 8;

export type PauseRefusal = { refused: 'too-many-sources'; message: string };

export class ChatSources {
  /** In the order last heard from, oldest first (a Map keeps insertion order; a touch re-inserts). */
  private readonly heard = new Map<string, Heard>();
  private readonly pausedSet: Set<string>;
  private readonly sql: SqlStorage;
  readonly leases: ChatLeases;

  /** `leaseMs`: the room's CHAT_LEASE_MS (chat-leases.ts says why 15 s by default). */
  constructor(sql: SqlStorage, times: Partial<ChatLeaseTimes> = {}) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_paused (source TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
    this.pausedSet = new Set(sql.exec<{ source: string }>(`SELECT source FROM chat_paused`).toArray().map((r) => r.source));
    this.leases = new ChatLeases(sql, { leaseMs: CHAT_LEASE_MS, marginMs: CHAT_LEASE_MARGIN_MS, ...times });
  }

  /** A report from a bridge: kept per bridge, and its leases renewed or granted. Returns what it holds after it. */
  report(bridge: string, sources: readonly ChatSourceReport[], now: number): ChatLease[] {
    for (const s of sources) {
      const h = this.touch(s.source, now);
      h.readings.delete(bridge);
      h.readings.set(bridge, { state: s.state, detail: s.detail, at: now });
      // Oldest first (re-inserted on each report): the least recently heard bridge goes first.
      for (const old of h.readings.keys()) if (h.readings.size > READERS_MAX) h.readings.delete(old);
    }
    const readers = (source: string): ChatReader[] => [...(this.heard.get(source)?.readings ?? [])].map(([b, r]) => ({ bridge: b, at: r.at, connected: r.state === 'connected' }));
    return this.leases.reported(
      bridge,
      sources.map((s) => ({ source: s.source, connected: s.state === 'connected' })),
      readers,
      now,
    );
  }

  /** A batch of votes from it: it is alive, whatever it last reported. */
  heardFrom(source: string, now: number): void {
    this.touch(source, now);
  }

  /** Votes of this source counted in poll `pollId`; a new poll starts its count again. */
  counted(source: string, pollId: string, n: number, now: number): void {
    const h = this.touch(source, now);
    if (h.pollId !== pollId) [h.pollId, h.votes] = [pollId, 0];
    h.votes += n;
  }

  isPaused(source: string): boolean {
    return this.pausedSet.has(source);
  }

  paused(): string[] {
    return [...this.pausedSet].sort();
  }

  setPaused(source: string, paused: boolean, now: number): { paused: boolean } | PauseRefusal {
    if (!paused) {
      this.sql.exec(`DELETE FROM chat_paused WHERE source = ?`, source);
      this.pausedSet.delete(source);
    } else if (!this.pausedSet.has(source)) {
      if (this.pausedSet.size >= CHAT_SOURCES_MAX) return { refused: 'too-many-sources', message: `at most ${CHAT_SOURCES_MAX} sources can be paused: resume one first` };
      this.sql.exec(`INSERT INTO chat_paused (source, at) VALUES (?, ?) ON CONFLICT DO NOTHING`, source, now);
      this.pausedSet.add(source);
    }
    return { paused };
  }

  /** Every source heard from or paused, by name; `pollId` is the current round, whose votes are shown. */
  list(pollId: string, now: number): ChatSourceView[] {
    const names = [...new Set([...this.heard.keys(), ...this.pausedSet])].sort();
    return names.map((source) => this.view(source, pollId, now));
  }

  /**
   * One source; one never heard from is `stale`, with nothing counted. Its state is its lease holder's report (the
   * bridge whose votes count; until another bridge takes it, the last holder's), or the latest report when none.
   */
  view(source: string, pollId: string, now: number): ChatSourceView {
    const h = this.heard.get(source);
    const fresh = h !== undefined && now - h.seenAt < CHAT_SOURCE_STALE_MS;
    const lease = this.leases.holder(source, now);
    const reading = h && this.reading(h, this.leases.lastHolder(source));
    const standby = h ? [...h.readings].filter(([b, r]) => b !== lease?.bridge && now - r.at <= this.leases.times.leaseMs).map(([b]) => b).sort() : [];
    return {
      source,
      state: fresh ? (reading?.state ?? 'connected') : 'stale',
      ...(reading?.detail ? { detail: reading.detail } : {}),
      seenAt: h?.seenAt ?? null,
      paused: this.pausedSet.has(source),
      votes: h?.pollId === pollId ? h.votes : 0,
      lease: lease ? { bridge: lease.bridge, until: lease.until } : null,
      standby,
    };
  }

  /** Whether `bridge`'s batch for the source may count: it holds the source's lease, or nobody does. */
  mayRelay(source: string, bridge: string, now: number): boolean {
    return this.leases.mayRelay(source, bridge, now);
  }

  /**
   * Until when chat votes are open as things stand: the latest moment a source that is not paused and reported
   * `connected` (or only sent votes) goes stale; 0 when none is. Open while it is after now.
   */
  openUntil(): number {
    let until = 0;
    for (const [source, h] of this.heard) {
      // The holder's report, as the dashboard shows it.
      if ((this.reading(h, this.leases.lastHolder(source))?.state ?? 'connected') === 'connected' && !this.pausedSet.has(source)) until = Math.max(until, h.seenAt + CHAT_SOURCE_STALE_MS);
    }
    return until;
  }

  /** The report that speaks for a source: its holder's, else the latest (the map is in the order heard). */
  private reading(h: Heard, holder: string | undefined): Reading | undefined {
    return (holder !== undefined ? h.readings.get(holder) : undefined) ?? [...h.readings.values()].at(-1);
  }

  private touch(source: string, now: number): Heard {
    const h = this.heard.get(source) ?? { readings: new Map(), seenAt: now, pollId: null, votes: 0 };
    h.seenAt = now;
    this.heard.delete(source);
    this.heard.set(source, h);
    for (const oldest of this.heard.keys()) {
      if (this.heard.size <= CHAT_SOURCES_MAX) break;
      this.heard.delete(oldest);
      this.leases.forget(oldest);
    }
    return h;
  }
}
