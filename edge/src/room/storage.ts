/**
 * The room's durable state, in the Durable Object's own SQLite. Every call here is synchronous, so a vote's
 * dedupe insert and the new round state commit together (one implicit transaction, released by the output
 * gate before the response leaves): an accepted vote survives eviction, and a duplicate can never slip in.
 */
import { Matchup, RoundResult, RoundState, StreamStatus, type ScreenId, type Shoutout } from '@stream-fighter/core';

export interface StoredStream {
  streamKey: string;
  screenId: ScreenId;
  createdAt: number;
}

export class RoomStorage {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS votes (poll_id TEXT NOT NULL, voter_id TEXT NOT NULL, option TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (poll_id, voter_id))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY AUTOINCREMENT, matchup TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox (poll_id TEXT PRIMARY KEY, result TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS streams (stream_key TEXT PRIMARY KEY, screen_id TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS stream_status (stream_key TEXT PRIMARY KEY, status TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS shoutouts (id TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)`);
  }

  private get(key: string): string | null {
    const row = this.sql.exec<{ value: string }>(`SELECT value FROM kv WHERE key = ?`, key).toArray()[0];
    return row ? row.value : null;
  }

  private put(key: string, value: string): void {
    this.sql.exec(`INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value);
  }

  loadRound(): { round: RoundState; seq: number } | null {
    const raw = this.get('round');
    if (!raw) return null;
    return { round: RoundState.parse(JSON.parse(raw)), seq: Number(this.get('seq') ?? 0) };
  }

  saveRound(round: RoundState, seq: number): void {
    this.put('round', JSON.stringify(round));
    this.put('seq', String(seq));
  }

  loadPrevious(): RoundResult | null {
    const raw = this.get('previous');
    return raw ? RoundResult.parse(JSON.parse(raw)) : null;
  }

  savePrevious(result: RoundResult): void {
    this.put('previous', JSON.stringify(result));
  }

  /** True when this voter had not voted in this poll yet (and now has). */
  recordVote(pollId: string, voterId: string, option: string, at: number): boolean {
    const cur = this.sql.exec(`INSERT INTO votes (poll_id, voter_id, option, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, pollId, voterId, option, at);
    return cur.rowsWritten > 0;
  }

  voteOf(pollId: string, voterId: string): string | null {
    const row = this.sql.exec<{ option: string }>(`SELECT option FROM votes WHERE poll_id = ? AND voter_id = ?`, pollId, voterId).toArray()[0];
    return row ? row.option : null;
  }

  /** Drop dedupe rows of every poll but the given ones (the live one and the one just finished). */
  pruneVotes(keep: string[]): void {
    const marks = keep.map(() => '?').join(',');
    this.sql.exec(`DELETE FROM votes WHERE poll_id NOT IN (${marks})`, ...keep);
  }

  enqueue(matchups: Matchup[]): void {
    for (const m of matchups) this.sql.exec(`INSERT INTO queue (matchup) VALUES (?)`, JSON.stringify(m));
  }

  queue(): Array<{ id: number; matchup: Matchup }> {
    return this.sql
      .exec<{ id: number; matchup: string }>(`SELECT id, matchup FROM queue ORDER BY id`)
      .toArray()
      .map((r) => ({ id: r.id, matchup: Matchup.parse(JSON.parse(r.matchup)) }));
  }

  removeQueued(id: number): boolean {
    return this.sql.exec(`DELETE FROM queue WHERE id = ?`, id).rowsWritten > 0;
  }

  popQueue(): Matchup | null {
    const head = this.queue()[0];
    if (!head) return null;
    this.removeQueued(head.id);
    return head.matchup;
  }

  addOutbox(result: RoundResult): void {
    this.sql.exec(`INSERT INTO outbox (poll_id, result) VALUES (?, ?) ON CONFLICT DO NOTHING`, result.pollId, JSON.stringify(result));
  }

  outbox(): RoundResult[] {
    return this.sql.exec<{ result: string }>(`SELECT result FROM outbox ORDER BY rowid`).toArray().map((r) => RoundResult.parse(JSON.parse(r.result)));
  }

  outboxDone(pollId: string): void {
    this.sql.exec(`DELETE FROM outbox WHERE poll_id = ?`, pollId);
  }

  outboxFailed(pollId: string): void {
    this.sql.exec(`UPDATE outbox SET attempts = attempts + 1 WHERE poll_id = ?`, pollId);
  }

  streams(): StoredStream[] {
    return this.sql
      .exec<{ stream_key: string; screen_id: string; created_at: number }>(`SELECT stream_key, screen_id, created_at FROM streams ORDER BY created_at`)
      .toArray()
      .map((r) => ({ streamKey: r.stream_key, screenId: r.screen_id as ScreenId, createdAt: r.created_at }));
  }

  upsertStream(s: StoredStream): void {
    this.sql.exec(
      `INSERT INTO streams (stream_key, screen_id, created_at) VALUES (?, ?, ?) ON CONFLICT (stream_key) DO UPDATE SET screen_id = excluded.screen_id`,
      s.streamKey,
      s.screenId,
      s.createdAt,
    );
  }

  deleteStream(streamKey: string): boolean {
    this.sql.exec(`DELETE FROM stream_status WHERE stream_key = ?`, streamKey);
    return this.sql.exec(`DELETE FROM streams WHERE stream_key = ?`, streamKey).rowsWritten > 0;
  }

  statuses(): Map<string, StreamStatus & { renderer: string; reportedAt: number }> {
    const out = new Map<string, StreamStatus & { renderer: string; reportedAt: number }>();
    for (const r of this.sql.exec<{ stream_key: string; status: string }>(`SELECT stream_key, status FROM stream_status`)) {
      out.set(r.stream_key, JSON.parse(r.status));
    }
    return out;
  }

  saveStatus(s: StreamStatus & { renderer: string; reportedAt: number }): void {
    this.sql.exec(
      `INSERT INTO stream_status (stream_key, status) VALUES (?, ?) ON CONFLICT (stream_key) DO UPDATE SET status = excluded.status`,
      s.streamKey,
      JSON.stringify(s),
    );
  }

  shoutouts(limit: number): Shoutout[] {
    return this.sql
      .exec<{ body: string }>(`SELECT body FROM shoutouts ORDER BY at DESC LIMIT ?`, limit)
      .toArray()
      .map((r) => JSON.parse(r.body) as Shoutout)
      .reverse();
  }

  addShoutout(s: Shoutout, keep: number): void {
    this.sql.exec(`INSERT INTO shoutouts (id, body, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, s.id, JSON.stringify(s), s.at);
    this.sql.exec(`DELETE FROM shoutouts WHERE id NOT IN (SELECT id FROM shoutouts ORDER BY at DESC LIMIT ?)`, keep);
  }

  removeShoutout(id: string): boolean {
    return this.sql.exec(`DELETE FROM shoutouts WHERE id = ?`, id).rowsWritten > 0;
  }
}
