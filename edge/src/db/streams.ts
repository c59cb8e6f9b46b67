/**
 * Desired streams: what an operator asked the renderers to run. Renderers report their actual state to the room;
 * only the wish is durable, so a fresh room (or a restarted renderer) knows what should be on air.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ScreenId, StreamEntry } from '@stream-fighter/core/protocol';
import { StreamInsert, streams } from '@stream-fighter/drizzle/schema';
import type { StreamRow } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

/** A stream as the history keeps it: the screen by id only (its settings are the room's, screen-book.ts). */
export type StreamHistoryEntry = Omit<StreamEntry, 'screen'>;

/** Starts (or restarts, or switches the screen of) a stream. A stream that was stopped counts as new again. */
export async function upsertStream(db: Db, desired: { streamKey: string; screenId: ScreenId }): Promise<StreamHistoryEntry> {
  const row = StreamInsert.parse(desired);
  const [saved] = await db
    .insert(streams)
    .values(row)
    .onConflictDoUpdate({
      target: streams.streamKey,
      set: {
        screenId: sql`excluded.screen_id`,
        createdAt: sql`case when ${streams.stoppedAt} is null then ${streams.createdAt} else excluded.created_at end`,
        stoppedAt: null,
      },
    })
    .returning();
  if (!saved) throw new Error(`stream ${desired.streamKey} was not saved`);
  return toEntry(saved);
}

/** Returns false when no active stream has that key (never started, or already stopped). */
export async function stopStream(db: Db, streamKey: string): Promise<boolean> {
  const stopped = await db
    .update(streams)
    .set({ stoppedAt: sql`now()` })
    .where(and(eq(streams.streamKey, streamKey), isNull(streams.stoppedAt)))
    .returning({ streamKey: streams.streamKey });
  return stopped.length > 0;
}

/** Active streams, oldest first. Status is null here: it is live data the room gets from renderers. */
export async function listActiveStreams(db: Db): Promise<StreamHistoryEntry[]> {
  const rows = await db.select().from(streams).where(isNull(streams.stoppedAt)).orderBy(asc(streams.createdAt), asc(streams.streamKey));
  return rows.map(toEntry);
}

function toEntry(row: StreamRow): StreamHistoryEntry {
  return { screenId: row.screenId, streamKey: row.streamKey, createdAt: row.createdAt.getTime(), status: null };
}
