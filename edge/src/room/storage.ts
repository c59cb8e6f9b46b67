/**
 * The room's durable state, in the Durable Object's own SQLite. Every call here is synchronous, so a vote's
 * dedupe insert and the new round state commit together (one implicit transaction, released by the output
 * gate before the response leaves): an accepted vote survives eviction, and a duplicate can never slip in.
 */
import { z } from 'zod';
import { Matchup, RoundResult, RoundState, StreamStatus, wellFormedReviver, type PendingShoutout, type ScreenId, type Shoutout } from '@stream-fighter/core';

export interface StoredStream {
  streamKey: string;
  /** A screen id (screen-book.ts); unknown ones resolve to the defaults (stream-desk.ts). */
  screenId: ScreenId;
  createdAt: number;
}

/**
 * A finished round waiting for the archive. `result` is null when the stored row no longer parses (written by an
 * older version): such a row can never be archived, and `invalid` says why.
 */
export interface OutboxEntry {
  pollId: string;
  attempts: number;
  result: RoundResult | null;
  invalid?: string;
}

/** The next round, reserved when the live one finishes (round-runner.ts). */
const ReservedRound = z.object({ pollId: z.string(), matchup: Matchup });
export type ReservedRound = z.infer<typeof ReservedRound>;

/**
 * JSON the room wrote itself, read back: strings made well-formed first, so a lone surrogate stored before the
 * schemas refused them is repaired (U+FFFD) instead of failing the parse and, with it, the room.
 */
const stored = (raw: string): unknown => JSON.parse(raw, wellFormedReviver);

export class RoomStorage {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS votes (poll_id TEXT NOT NULL, voter_id TEXT NOT NULL, option TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (poll_id, voter_id))`);
    // Votes per address (keyed hash of its prefix) per poll, for the per-round caps; pruned with the votes.
    sql.exec(`CREATE TABLE IF NOT EXISTS address_votes (poll_id TEXT NOT NULL, address TEXT NOT NULL, total INTEGER NOT NULL, nojs INTEGER NOT NULL, PRIMARY KEY (poll_id, address))`);
    sql.exec(`CREATE TABLE IF NOT EXISTS queue (id INTEGER PRIMARY KEY AUTOINCREMENT, matchup TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox (poll_id TEXT PRIMARY KEY, result TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)`);
    // Rounds whose archive can never succeed, kept (not retried) so an operator can still see what was played.
    sql.exec(`CREATE TABLE IF NOT EXISTS outbox_parked (poll_id TEXT PRIMARY KEY, result TEXT NOT NULL, attempts INTEGER NOT NULL, error TEXT NOT NULL, parked_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS streams (stream_key TEXT PRIMARY KEY, screen_id TEXT NOT NULL, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS stream_status (stream_key TEXT PRIMARY KEY, status TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS shoutouts (id TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)`);
    // Shout-outs waiting for an operator, and the voters whose shout-outs and votes the room refuses.
    sql.exec(`CREATE TABLE IF NOT EXISTS shoutouts_pending (id TEXT PRIMARY KEY, body TEXT NOT NULL, voter_id TEXT NOT NULL, at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS banned_voters (voter_id TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
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
    return { round: RoundState.parse(stored(raw)), seq: Number(this.get('seq') ?? 0) };
  }

  saveRound(round: RoundState, seq: number): void {
    this.put('round', JSON.stringify(round));
    this.put('seq', String(seq));
  }

  loadPrevious(): RoundResult | null {
    const raw = this.get('previous');
    return raw ? RoundResult.parse(stored(raw)) : null;
  }

  savePrevious(result: RoundResult): void {
    this.put('previous', JSON.stringify(result));
  }

  /** The round announced as up next once the live one finished: its poll id and matchup are fixed (bets name them). */
  loadNext(): ReservedRound | null {
    const raw = this.get('next_round');
    if (!raw) return null;
    const parsed = ReservedRound.safeParse(stored(raw));
    return parsed.success ? parsed.data : null;
  }

  saveNext(next: ReservedRound | null): void {
    if (next) this.put('next_round', JSON.stringify(next));
    else this.sql.exec(`DELETE FROM kv WHERE key = 'next_round'`);
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

  /** How many votes this address has cast in this poll: all of them, and those from sessions minted without proof of work. */
  addressVotes(pollId: string, address: string): { total: number; nojs: number } {
    const row = this.sql.exec<{ total: number; nojs: number }>(`SELECT total, nojs FROM address_votes WHERE poll_id = ? AND address = ?`, pollId, address).toArray()[0];
    return row ?? { total: 0, nojs: 0 };
  }

  countAddressVote(pollId: string, address: string, nojs: boolean): void {
    this.sql.exec(
      `INSERT INTO address_votes (poll_id, address, total, nojs) VALUES (?, ?, 1, ?) ON CONFLICT (poll_id, address) DO UPDATE SET total = total + 1, nojs = nojs + excluded.nojs`,
      pollId,
      address,
      nojs ? 1 : 0,
    );
  }

  /**
   * An operator's erasure request: this voter's rows in every poll still kept but the live one; returns how many
   * went and how many stay. The live poll's row is its dedupe: without it the same session could vote again in
   * the same round. It goes with the usual pruning, when the round after next starts.
   */
  forgetVoter(voterId: string, livePollId: string): { deleted: number; kept: number } {
    const deleted = this.sql.exec(`DELETE FROM votes WHERE voter_id = ? AND poll_id <> ?`, voterId, livePollId).rowsWritten;
    const kept = this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM votes WHERE voter_id = ? AND poll_id = ?`, voterId, livePollId).one().n;
    return { deleted, kept };
  }

  /** Drop dedupe rows of every poll but the given ones (the live one and the one just finished). */
  pruneVotes(keep: string[]): void {
    const marks = keep.map(() => '?').join(',');
    this.sql.exec(`DELETE FROM votes WHERE poll_id NOT IN (${marks})`, ...keep);
    this.sql.exec(`DELETE FROM address_votes WHERE poll_id NOT IN (${marks})`, ...keep);
  }

  enqueue(matchups: Matchup[]): void {
    for (const m of matchups) this.sql.exec(`INSERT INTO queue (matchup) VALUES (?)`, JSON.stringify(m));
  }

  queue(): Array<{ id: number; matchup: Matchup }> {
    return this.sql
      .exec<{ id: number; matchup: string }>(`SELECT id, matchup FROM queue ORDER BY id`)
      .toArray()
      .map((r) => ({ id: r.id, matchup: Matchup.parse(stored(r.matchup)) }));
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

  outbox(): OutboxEntry[] {
    return this.sql
      .exec<{ poll_id: string; result: string; attempts: number }>(`SELECT poll_id, result, attempts FROM outbox ORDER BY rowid`)
      .toArray()
      .map((r) => {
        const entry = { pollId: r.poll_id, attempts: r.attempts };
        try {
          const parsed = RoundResult.safeParse(stored(r.result));
          if (parsed.success) return { ...entry, result: parsed.data };
          return { ...entry, result: null, invalid: `stored result does not parse: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` };
        } catch (e) {
          return { ...entry, result: null, invalid: `stored result is not JSON: ${e instanceof Error ? e.message : String(e)}` };
        }
      });
  }

  outboxDone(pollId: string): void {
    this.sql.exec(`DELETE FROM outbox WHERE poll_id = ?`, pollId);
  }

  /** Counts a failed attempt; returns how many have failed so far. */
  outboxFailed(pollId: string): number {
    const row = this.sql.exec<{ attempts: number }>(`UPDATE outbox SET attempts = attempts + 1 WHERE poll_id = ? RETURNING attempts`, pollId).toArray()[0];
    return row?.attempts ?? 0;
  }

  /** Moves a round out of the outbox for good: it is no longer retried, nor keeps the room's alarm busy. */
  parkOutbox(pollId: string, error: string, at: number): void {
    this.sql.exec(
      `INSERT INTO outbox_parked (poll_id, result, attempts, error, parked_at) SELECT poll_id, result, attempts, ?, ? FROM outbox WHERE poll_id = ? ON CONFLICT DO NOTHING`,
      error.slice(0, 500),
      at,
      pollId,
    );
    this.sql.exec(`DELETE FROM outbox WHERE poll_id = ?`, pollId);
  }

  parked(): Array<{ pollId: string; attempts: number; error: string; parkedAt: number }> {
    return this.sql
      .exec<{ poll_id: string; attempts: number; error: string; parked_at: number }>(`SELECT poll_id, attempts, error, parked_at FROM outbox_parked ORDER BY parked_at`)
      .toArray()
      .map((r) => ({ pollId: r.poll_id, attempts: r.attempts, error: r.error, parkedAt: r.parked_at }));
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
      out.set(r.stream_key, stored(r.status) as StreamStatus & { renderer: string; reportedAt: number });
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
      .map((r) => stored(r.body) as Shoutout)
      .reverse();
  }

  addShoutout(s: Shoutout, keep: number): void {
    this.sql.exec(`INSERT INTO shoutouts (id, body, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, s.id, JSON.stringify(s), s.at);
    this.sql.exec(`DELETE FROM shoutouts WHERE id NOT IN (SELECT id FROM shoutouts ORDER BY at DESC LIMIT ?)`, keep);
  }

  removeShoutout(id: string): boolean {
    return this.sql.exec(`DELETE FROM shoutouts WHERE id = ?`, id).rowsWritten > 0;
  }

  /** Oldest first: the order an operator decides them in. */
  pendingShoutouts(): PendingShoutout[] {
    return this.sql
      .exec<{ body: string; voter_id: string }>(`SELECT body, voter_id FROM shoutouts_pending ORDER BY at, id`)
      .toArray()
      .map((r) => ({ ...(stored(r.body) as Shoutout), voterId: r.voter_id }));
  }

  pendingCount(voterId?: string): number {
    if (voterId === undefined) return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM shoutouts_pending`).one().n;
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM shoutouts_pending WHERE voter_id = ?`, voterId).one().n;
  }

  addPending(s: PendingShoutout): void {
    const { voterId, ...shoutout } = s;
    this.sql.exec(`INSERT INTO shoutouts_pending (id, body, voter_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, s.id, JSON.stringify(shoutout), voterId, s.at);
  }

  /** Removes a waiting shout-out and returns it; null when none waits under that id. */
  takePending(id: string): PendingShoutout | null {
    const row = this.sql.exec<{ body: string; voter_id: string }>(`DELETE FROM shoutouts_pending WHERE id = ? RETURNING body, voter_id`, id).toArray()[0];
    return row ? { ...(stored(row.body) as Shoutout), voterId: row.voter_id } : null;
  }

  /** Drops every waiting shout-out of this voter; returns their ids. */
  dropPendingOf(voterId: string): string[] {
    return this.sql
      .exec<{ id: string }>(`DELETE FROM shoutouts_pending WHERE voter_id = ? RETURNING id`, voterId)
      .toArray()
      .map((r) => r.id);
  }

  /** The operator's choice, once made; until then the configured default. */
  autoApprove(fallback: boolean): boolean {
    const saved = this.get('shoutouts.autoApprove');
    return saved === null ? fallback : saved === 'true';
  }

  setAutoApprove(on: boolean): void {
    this.put('shoutouts.autoApprove', String(on));
  }

  isBanned(voterId: string): boolean {
    return this.sql.exec(`SELECT 1 FROM banned_voters WHERE voter_id = ?`, voterId).toArray().length > 0;
  }

  /** True when the voter was not banned yet. */
  ban(voterId: string, at: number): boolean {
    return this.sql.exec(`INSERT INTO banned_voters (voter_id, at) VALUES (?, ?) ON CONFLICT DO NOTHING`, voterId, at).rowsWritten > 0;
  }

  unban(voterId: string): boolean {
    return this.sql.exec(`DELETE FROM banned_voters WHERE voter_id = ?`, voterId).rowsWritten > 0;
  }
}
