import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { keys, services } from '../services.ts';
import { archiveResult } from '../db/archive.ts';
import type { RoomStorage } from './storage.ts';

/**
 * Send finished rounds from the room's outbox to Postgres. The archive is idempotent, so a retry after a
 * crash between the insert and the outbox delete cannot count a win twice.
 */
export async function archiveOutbox(store: RoomStorage, config: AppConfig, room: string): Promise<void> {
  const { db, redis } = services(config);
  for (const result of store.outbox()) {
    try {
      const { inserted } = await archiveResult(db, result);
      const winner = result.outcome.winner ? result.matchup.options.find((o) => o.id === result.outcome.winner) : undefined;
      if (inserted && winner) await redis.zincrby(keys.leaderboard, 1, winner.fighter.name);
      store.outboxDone(result.pollId);
      log.info('round.archived', { room, pollId: result.pollId, inserted });
    } catch (err) {
      store.outboxFailed(result.pollId);
      log.warn('round.archive-failed', { room, pollId: result.pollId, error: err instanceof Error ? err.message : String(err) });
    }
  }
}
