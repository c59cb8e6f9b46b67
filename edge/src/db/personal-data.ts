/**
 * What Postgres holds about a person, kept small: a shout-out's keyed address hash only for a few days (enough to
 * see who floods the moderation queue), and one voter's shout-outs deleted on an operator's request.
 */
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { results, shoutouts } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

/** Clear the address hash of shout-outs older than `days`; returns how many were cleared. */
export async function clearOldAddressKeys(db: Db, days: number): Promise<number> {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a positive integer');
  const cleared = await db
    .update(shoutouts)
    .set({ ipHash: null })
    .where(and(isNotNull(shoutouts.ipHash), lt(shoutouts.createdAt, sql`now() - make_interval(days => ${days})`)))
    .returning({ id: shoutouts.id });
  return cleared.length;
}

/** Delete every shout-out this voter sent; returns their ids, so the room can take them off the air too. */
export async function deleteVoterShoutouts(db: Db, voterId: string): Promise<string[]> {
  const deleted = await db.delete(shoutouts).where(eq(shoutouts.voterId, voterId)).returning({ id: shoutouts.id });
  return deleted.map((r) => r.id);
}

/** Polls archived since then: the ones whose per-voter markers may still be in Redis. */
export async function pollsFinishedSince(db: Db, since: Date): Promise<string[]> {
  const rows = await db.select({ pollId: results.pollId }).from(results).where(gte(results.finishedAt, since));
  return rows.map((r) => r.pollId);
}
