/**
 * The Arena's side of the counting shards' flushes (vote-shard.ts): each shard numbers its flushes and sends the
 * next only after the last one is answered, so the room keeps, per shard, the last number it applied, a digest of
 * its votes and what it answered. A flush sent again (the shard restarted, or lost the answer) gets the same answer
 * and counts nothing; the votes and this record commit together, in the same synchronous step. A number already
 * applied that comes with other votes (a shard whose numbering went wrong) is refused, never answered with another
 * flush's outcomes.
 */
import { hash32 } from '@stream-fighter/core/hash';
import type { ShardVote, VoteOutcome } from './ballot-box.ts';

/** The room's answer to a flush: what became of each vote, or that it is not the next one (older, or not the same). */
export type FlushAnswer = { outcomes: VoteOutcome[] } | { stale: true; last: number };

export class ShardFlushes {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    // A table from before flushes carried a digest is dropped. A flush resent after that is counted again vote by
    // vote, and the room's (poll, voter) row refuses each vote it already counted: nothing counts twice.
    const columns = sql.exec<{ name: string }>(`PRAGMA table_info(shard_flushes)`).toArray();
    if (columns.length > 0 && !columns.some((col) => col.name === 'digest')) sql.exec(`DROP TABLE shard_flushes`);
    // WITHOUT ROWID: the key is the table, so a flush writes one row, not a row and an index entry (both billed).
    sql.exec(`CREATE TABLE IF NOT EXISTS shard_flushes (shard TEXT PRIMARY KEY, seq INTEGER NOT NULL, digest INTEGER NOT NULL, outcomes TEXT NOT NULL) WITHOUT ROWID`);
  }

  /**
   * `count` runs only for a flush not applied before; its answer is kept for a repeat of the same flush. An older
   * flush cannot be told apart from one never sent (only the last answer is kept): it is not counted (a shard that
   * lost its storage starts numbering at its clock, above any number it used before: shard-book.ts).
   */
  once(shard: string, seq: number, votes: readonly ShardVote[], count: () => VoteOutcome[]): FlushAnswer {
    const digest = digestOf(votes);
    const last = this.sql.exec<{ seq: number; digest: number; outcomes: string }>(`SELECT seq, digest, outcomes FROM shard_flushes WHERE shard = ?`, shard).toArray()[0];
    if (last && last.seq === seq && last.digest === digest) return { outcomes: JSON.parse(last.outcomes) as VoteOutcome[] };
    if (last && seq <= last.seq) return { stale: true, last: last.seq };
    const outcomes = count();
    this.sql.exec(
      `INSERT INTO shard_flushes (shard, seq, digest, outcomes) VALUES (?, ?, ?, ?) ON CONFLICT (shard) DO UPDATE SET seq = excluded.seq, digest = excluded.digest, outcomes = excluded.outcomes`,
      shard,
      seq,
      digest,
      JSON.stringify(outcomes),
    );
    return { outcomes };
  }
}

/** Which votes a flush carries (voter, option, poll, when cast), so a number cannot stand for two different flushes. */
function digestOf(votes: readonly ShardVote[]): number {
  return hash32(JSON.stringify(votes.map((v) => [v.voterId, v.option, v.pollId ?? null, v.castAt])));
}
