/**
 * The Arena's side of the counting shards' flushes (vote-shard.ts): each shard numbers its flushes and sends the
 * next only after the last one is answered, so the room keeps, per shard, the last number it applied and what it
 * answered. A flush sent again (the shard restarted, or lost the answer) gets the same answer and counts nothing;
 * the votes and this record commit together, in the same synchronous step.
 */
import type { VoteOutcome } from './ballot-box.ts';

/** The room's answer to a flush: what became of each vote, or that the flush is older than the last one applied. */
export type FlushAnswer = { outcomes: VoteOutcome[] } | { stale: true; last: number };

export class ShardFlushes {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    // WITHOUT ROWID: the key is the table, so a flush writes one row, not a row and an index entry (both billed).
    sql.exec(`CREATE TABLE IF NOT EXISTS shard_flushes (shard TEXT PRIMARY KEY, seq INTEGER NOT NULL, outcomes TEXT NOT NULL) WITHOUT ROWID`);
  }

  /**
   * `count` runs only for a flush not applied before; its answer is kept for a repeat of the same flush. An older
   * flush cannot be told apart from one never sent (only the last answer is kept): it is not counted (a shard that
   * lost its storage starts numbering at its clock, above any number it used before: shard-book.ts).
   */
  once(shard: string, seq: number, count: () => VoteOutcome[]): FlushAnswer {
    const last = this.sql.exec<{ seq: number; outcomes: string }>(`SELECT seq, outcomes FROM shard_flushes WHERE shard = ?`, shard).toArray()[0];
    if (last && last.seq === seq) return { outcomes: JSON.parse(last.outcomes) as VoteOutcome[] };
    if (last && seq < last.seq) return { stale: true, last: last.seq };
    const outcomes = count();
    this.sql.exec(
      `INSERT INTO shard_flushes (shard, seq, outcomes) VALUES (?, ?, ?) ON CONFLICT (shard) DO UPDATE SET seq = excluded.seq, outcomes = excluded.outcomes`,
      shard,
      seq,
      JSON.stringify(outcomes),
    );
    return { outcomes };
  }
}
