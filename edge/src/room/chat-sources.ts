/**
 * The chat sources (a Twitch channel, a YouTube live chat) as the room knows them: each one's latest report from the
 * bridge and when it came, its votes counted in the current round, and the operator's pause flags. Reports and
 * counts are memory only (the bridge reports again within seconds); pause flags are the operator's decisions and
 * live in the room's SQLite. Both are bounded by CHAT_SOURCES_MAX: the least recently heard source is forgotten
 * first, and a pause beyond the bound is refused.
 */
import { CHAT_SOURCE_STALE_MS, CHAT_SOURCES_MAX, type ChatSourceState, type ChatSourceView } from '@stream-fighter/core';

interface Heard {
  /** null while only its votes have arrived: a source that delivers votes is connected. */
  state: ChatSourceState | null;
  detail?: string | undefined;
  seenAt: number;
  pollId: string | null;
  votes: number;
}

export type PauseRefusal = { refused: 'too-many-sources'; message: string };

export class ChatSources {
  /** In the order last heard from, oldest first (a Map keeps insertion order; a touch re-inserts). */
  private readonly heard = new Map<string, Heard>();
  private readonly pausedSet: Set<string>;
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_paused (source TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
    this.pausedSet = new Set(sql.exec<{ source: string }>(`SELECT source FROM chat_paused`).toArray().map((r) => r.source));
  }

  /** A report from the bridge. */
  report(source: string, state: ChatSourceState, detail: string | undefined, now: number): void {
    const h = this.touch(source, now);
    h.state = state;
    h.detail = detail;
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

  /** One source; one never heard from is `stale`, with nothing counted. */
  view(source: string, pollId: string, now: number): ChatSourceView {
    const h = this.heard.get(source);
    const fresh = h !== undefined && now - h.seenAt < CHAT_SOURCE_STALE_MS;
    return {
      source,
      state: fresh ? (h.state ?? 'connected') : 'stale',
      ...(h?.detail ? { detail: h.detail } : {}),
      seenAt: h?.seenAt ?? null,
      paused: this.pausedSet.has(source),
      votes: h?.pollId === pollId ? h.votes : 0,
    };
  }

  /**
   * Until when chat votes are open as things stand: the latest moment a source that is not paused and reported
   * `connected` (or only sent votes) goes stale; 0 when none is. Open while it is after now.
   */
  openUntil(): number {
    let until = 0;
    for (const [source, h] of this.heard) {
      if ((h.state ?? 'connected') === 'connected' && !this.pausedSet.has(source)) until = Math.max(until, h.seenAt + CHAT_SOURCE_STALE_MS);
    }
    return until;
  }

  private touch(source: string, now: number): Heard {
    const h = this.heard.get(source) ?? { state: null, seenAt: now, pollId: null, votes: 0 };
    h.seenAt = now;
    this.heard.delete(source);
    this.heard.set(source, h);
    for (const oldest of this.heard.keys()) {
      if (this.heard.size <= CHAT_SOURCES_MAX) break;
      this.heard.delete(oldest);
    }
    return h;
  }
}
