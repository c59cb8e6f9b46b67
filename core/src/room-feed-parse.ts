/**
 * For clients that parse with zod (the Node ones: devstack, verify, the chat bridge): one raw room message into a
 * RoomFeed. The vote page does the same with a structural check instead (web/src/lib/live.ts), to ship without zod.
 */
import { Snapshot, SnapshotDelta } from './protocol.ts';
import type { FeedResult, RoomFeed } from './snapshot-delta.ts';

/** 'other' is any message that is not a state (welcome, error, streams) or does not match the protocol. */
export function feedRoomMessage(feed: RoomFeed, data: unknown): FeedResult | 'other' {
  const type = (data as { type?: unknown } | null)?.type;
  const parsed = type === 'snapshot' ? Snapshot.safeParse(data) : type === 'delta' ? SnapshotDelta.safeParse(data) : null;
  return parsed?.success ? feed.receive(parsed.data) : 'other';
}
