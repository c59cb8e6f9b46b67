import { PROTOCOL_VERSION, Snapshot, timeLeftMs, type PollResponse } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { keys, services } from '../services.ts';

/** The room's last cached public snapshot as a poll response (no personal vote), or null when there is none. */
export async function cachedPoll(config: AppConfig): Promise<PollResponse | null> {
  const raw = await services(config).redis.get<unknown>(keys.snapshot(config.ROOM_NAME));
  if (raw === null) return null;
  const parsed = Snapshot.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
  if (!parsed.success) return null;
  const s = parsed.data;
  const now = Date.now();
  return {
    type: 'poll',
    v: PROTOCOL_VERSION,
    seq: s.seq,
    now,
    round: s.round,
    timeLeftMs: timeLeftMs(s.round, now),
    previous: s.previous,
    upNext: s.upNext,
    myVote: null,
  };
}
