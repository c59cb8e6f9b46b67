/**
 * A counting shard's own records (vote-shard.ts). In its SQLite, one row: the number of its last flush and, while
 * one is in flight, its votes, written before it is sent so a shard that restarts part-way sends that same flush
 * again. In memory, the votes the room accepted from its voters in the latest poll, so a repeat is refused here
 * without a call to the room: the room's own SQLite is what makes a vote count once, so this copy may be lost with
 * the shard's memory, and is not written (every row written is billed, and this would be one per vote).
 */
import type { ShardVote, VoteOutcome } from './ballot-box.ts';

export interface PendingFlush {
  seq: number;
  votes: ShardVote[];
}

/** At most this many voters are remembered (one poll's worth, or the newest of them): the room is the authority. */
const REMEMBERED_MAX = 200_000;

export class ShardBook {
  private readonly sql: SqlStorage;
  private poll = '';
  private readonly voted = new Map<string, string>();

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS flush_state (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, votes TEXT)`);
  }

  /** The poll of the last vote the room accepted from this shard (since it woke): where a refusal without a poll id points. */
  get lastPoll(): string {
    return this.poll;
  }

  voteOf(pollId: string, voterId: string): string | null {
    return pollId === this.poll ? (this.voted.get(voterId) ?? null) : null;
  }

  private state(): { seq: number; votes: string | null } | null {
    return this.sql.exec<{ seq: number; votes: string | null }>(`SELECT seq, votes FROM flush_state WHERE id = 1`).toArray()[0] ?? null;
  }

  pending(): PendingFlush | null {
    const row = this.state();
    return row?.votes ? { seq: row.seq, votes: JSON.parse(row.votes) as ShardVote[] } : null;
  }

  /**
   * Numbers the next flush and keeps it until it is settled: one row written. A shard with no number yet (new, or
   * its storage lost) starts at its clock in ms, above any number it can have used before, since it sends one flush
   * at a time and each takes at least a round trip to the room (and numbers never go down: skipTo).
   */
  begin(votes: ShardVote[], now = Date.now()): PendingFlush {
    const last = this.state();
    const seq = last ? last.seq + 1 : now;
    this.sql.exec(`INSERT INTO flush_state (id, seq, votes) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, votes = excluded.votes`, seq, JSON.stringify(votes));
    return { seq, votes };
  }

  /** The room's answer to a flush: its accepted votes are remembered, and the flush is done (one row written). */
  settle(flush: PendingFlush, outcomes: VoteOutcome[]): void {
    if (this.pending()?.seq !== flush.seq) return;
    flush.votes.forEach((v, i) => {
      const out = outcomes[i];
      if (!out?.ok) return;
      if (out.pollId !== this.poll) {
        this.poll = out.pollId;
        this.voted.clear();
      }
      if (this.voted.size >= REMEMBERED_MAX) this.voted.delete(this.voted.keys().next().value!);
      this.voted.set(v.voterId, out.option);
    });
    this.sql.exec(`UPDATE flush_state SET votes = NULL WHERE id = 1`);
  }

  /**
   * The room refused flush `seq` (it has applied `last`, a later number or this one with other votes): that flush is
   * dropped if it is still the pending one, and numbering goes on after the room's, never back.
   */
  skipTo(seq: number, last: number): void {
    this.sql.exec(`UPDATE flush_state SET votes = CASE WHEN seq = ? THEN NULL ELSE votes END, seq = MAX(seq, ?) WHERE id = 1`, seq, last);
  }

  /** An erasure request: the voter is forgotten here (the room keeps its live-round row until the round ends). */
  forget(voterId: string): boolean {
    return this.voted.delete(voterId);
  }
}
