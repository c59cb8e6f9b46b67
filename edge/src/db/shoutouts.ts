/** Viewers' shoutouts: kept so moderators can hide one after the fact and the room can reload recent ones. */
import { desc, eq } from 'drizzle-orm';
import type { Shoutout } from '@stream-fighter/core/protocol';
import { ShoutoutInsert, shoutouts } from '@stream-fighter/drizzle/schema';
import type { ShoutoutRow, ShoutoutStatus } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

export type StoredShoutout = Shoutout & { status: ShoutoutStatus };

export interface NewShoutout {
  id: string;
  user: string;
  message: string;
  /** Salted hash of the sender's address, never the address. */
  ipHash?: string | null;
  /** ms epoch; defaults to the database's now(). */
  at?: number;
}

export async function addShoutout(db: Db, shoutout: NewShoutout): Promise<StoredShoutout> {
  const row = ShoutoutInsert.parse({
    id: shoutout.id,
    userName: shoutout.user,
    message: shoutout.message,
    ipHash: shoutout.ipHash ?? null,
    createdAt: shoutout.at === undefined ? undefined : new Date(shoutout.at),
  });
  const [inserted] = await db.insert(shoutouts).values(row).returning();
  if (!inserted) throw new Error(`shoutout ${shoutout.id} was not inserted`);
  return toStored(inserted);
}

/** Newest first. `visible` is what goes on stream; `all` is the moderator's view. */
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

/** Returns false when there is no shoutout with that id. */
export async function setShoutoutStatus(db: Db, id: string, status: ShoutoutStatus): Promise<boolean> {
  const updated = await db.update(shoutouts).set({ status }).where(eq(shoutouts.id, id)).returning({ id: shoutouts.id });
  return updated.length > 0;
}

function toStored(row: ShoutoutRow): StoredShoutout {
  return { id: row.id, user: row.userName, message: row.message, at: row.createdAt.getTime(), status: row.status };
}
