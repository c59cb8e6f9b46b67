/**
 * The room's public snapshot, copied to Redis: GET /api/poll and the vote page answer from the copy when the room
 * itself cannot be reached, so the page still shows the fight.
 */
import { CHAT_SOURCE_STALE_MS, Snapshot, type PollResponse } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { keys, services } from '../services.ts';
import { pollView } from './views.ts';

/** At most one copy a second: the room broadcasts up to ten times as often. */
const EVERY_MS = 1_000;
const KEEP_SEC = 3600;

/** The room's side: writes the snapshots it broadcasts, at most once a second, never waiting for Redis. */
export class SnapshotCache {
  private cachedAt = 0;
  private readonly config: AppConfig;
  private readonly room: string;
  private readonly waitUntil: (work: Promise<unknown>) => void;

  constructor(config: AppConfig, room: string, waitUntil: (work: Promise<unknown>) => void) {
    this.config = config;
    this.room = room;
    this.waitUntil = waitUntil;
  }

  save(snapshot: Snapshot): void {
    if (snapshot.now - this.cachedAt < EVERY_MS) return;
    this.cachedAt = snapshot.now;
    const { redis } = services(this.config);
    this.waitUntil(
      redis.set(keys.snapshot(this.room), JSON.stringify(snapshot), { ex: KEEP_SEC }).then(
        () => undefined,
        (e: unknown) => log.warn('snapshot.cache-failed', { room: this.room, error: String(e) }),
      ),
    );
  }
}

/** The Worker's side: the last cached snapshot as a poll response (no personal vote), or null when there is none. */
export async function cachedPoll(config: AppConfig): Promise<PollResponse | null> {
  const raw = await services(config).redis.get<unknown>(keys.snapshot(config.ROOM_NAME));
  if (raw === null) return null;
  const parsed = Snapshot.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
  if (!parsed.success) return null;
  const now = Date.now();
  // A copy older than a source's staleness cannot vouch for chat: the source it saw connected may be long gone.
  return pollView(parsed.data, now, null, parsed.data.chatOpen === true && now - parsed.data.now < CHAT_SOURCE_STALE_MS, parsed.data.fighters, parsed.data.season);
}
