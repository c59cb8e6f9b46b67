/**
 * Viewers' shout-outs, the moderation log: every shout-out with its sender's voter id and what an operator decided,
 * so one can be hidden after the fact and a banned sender's can be found. The room decides what airs.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Shoutout } from '@stream-fighter/core/protocol';
import { ShoutoutInsert, shoutouts } from '@stream-fighter/drizzle/schema';
import type { ShoutoutRow, ShoutoutStatus } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

export type StoredShoutout = Shoutout & { status: ShoutoutStatus; voterId: string | null };

export interface NewShoutout {
  id: string;
  user: string;
  message: string;
  voterId: string;
  /** Keyed hash of the sender's address prefix (http/address.ts), never the address. */
  addressKey?: string | null;
  /** Defaults to pending: on air only once an operator approves it. */
  status?: ShoutoutStatus;
  /** ms epoch; defaults to the database's now(). */
  at?: number;
}

export async function addShoutout(db: Db, shoutout: NewShoutout): Promise<StoredShoutout> {
  const row = ShoutoutInsert.parse({
    id: shoutout.id,
    userName: shoutout.user,
    message: shoutout.message,
    voterId: shoutout.voterId,
    ipHash: shoutout.addressKey ?? null,
    status: shoutout.status ?? 'pending',
    createdAt: shoutout.at === undefined ? undefined : new Date(shoutout.at),
  });
  const [inserted] = await db.insert(shoutouts).values(row).returning();
  if (!inserted) throw new Error(`shoutout ${shoutout.id} was not inserted`);
  return toStored(inserted);
}

/** Newest first. `visible` is what went on stream; `all` is the moderator's view. */
export async function listShoutouts(
  db: Db,
  options: { limit?: number; include?: 'visible' | 'all' } = {},
): Promise<StoredShoutout[]> {
  const { limit = 20, include = 'visible' } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new RangeError('limit must be an integer from 1 to 200');
  const rows = await db
    .select()
    .from(shoutouts)
    .where(include === 'visible' ? eq(shoutouts.status, 'visible') : undefined)
    .orderBy(desc(shoutouts.createdAt), desc(shoutouts.id))
    .limit(limit);
  return rows.map(toStored);
}

/**
 * Returns false when there is no shout-out with that id, or (with `from`) when it is not in one of those states:
 * a decision never overwrites a later one.
 */
export async function setShoutoutStatus(db: Db, id: string, status: ShoutoutStatus, from?: readonly ShoutoutStatus[]): Promise<boolean> {
  const where = from ? and(eq(shoutouts.id, id), inArray(shoutouts.status, [...from])) : eq(shoutouts.id, id);
  const updated = await db.update(shoutouts).set({ status }).where(where).returning({ id: shoutouts.id });
  return updated.length > 0;
}

/** A banned sender: what still waits is rejected, what aired is hidden. Returns the ids of each. */
export async function moderateVoter(db: Db, voterId: string): Promise<{ rejected: string[]; hidden: string[] }> {
  const mine = (status: ShoutoutStatus) => and(eq(shoutouts.voterId, voterId), eq(shoutouts.status, status));
  const rejected = await db.update(shoutouts).set({ status: 'rejected' }).where(mine('pending')).returning({ id: shoutouts.id });
  const hidden = await db.update(shoutouts).set({ status: 'hidden' }).where(mine('visible')).returning({ id: shoutouts.id });
  return { rejected: rejected.map((r) => r.id).sort(), hidden: hidden.map((r) => r.id).sort() };
}

function toStored(row: ShoutoutRow): StoredShoutout {
  return { id: row.id, user: row.userName, message: row.message, at: row.createdAt.getTime(), status: row.status, voterId: row.voterId };
}
