import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { keys, services } from '../services.ts';
import { archiveResult } from '../db/archive.ts';
import { recordFighterResults } from '../db/fighters.ts';
import type { RoomStorage } from './storage.ts';
import { withTimeout } from './with-timeout.ts';

/** One attempt may not hold the room's alarm longer than this: a hung Postgres must not stop the round clock. */
export const ARCHIVE_ATTEMPT_TIMEOUT_MS = 10_000;

/** Longer than any round waits in the outbox before it is archived or parked. */
const COUNTED_MARKER_SEC = 7 * 24 * 3600;

/**
 * Counts a round's win once, whichever attempt archived it. `inserted` cannot decide that: an attempt that timed out
 * keeps running and may insert, and the retry that follows then finds the row there. One script, so the marker
 * is never set without the increment (nor the reverse) when Redis fails halfway.
 */
const COUNT_WIN_ONCE = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return redis.call('ZINCRBY', KEYS[2], 1, ARGV[2]) end
return false`;

/**
 * Why an archive error will recur on every retry, or null when a retry may succeed. Data Postgres refuses
 * (SQLSTATE class 22, e.g. 22P02 "invalid input syntax for type json") or a constraint it breaks (class 23), and a
 * result the table validators refuse (ZodError), are the same on every attempt.
 */
export function permanentArchiveError(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (name === 'ZodError') return 'refused by the archive schema';
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return `Postgres refused the data (SQLSTATE ${code})`;
  }
  return null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Send finished rounds from the room's outbox to Postgres, with the fighters' records. The archive, the records
 * and the leaderboard count are all idempotent, so a retry (after a timeout, or a crash before the outbox delete)
 * cannot lose or double a win. Each round is tried on its own, so one that fails does not hold back the others;
 * one that can never succeed is parked with an error in the log.
 */
export async function archiveOutbox(store: RoomStorage, config: AppConfig, room: string, now = Date.now(), attemptTimeoutMs = ARCHIVE_ATTEMPT_TIMEOUT_MS): Promise<void> {
  const { db, redis } = services(config);
  for (const entry of store.outbox()) {
    const { pollId, result } = entry;
    if (!result) {
      park(store, room, pollId, entry.attempts, entry.invalid ?? 'stored result is unreadable', now);
      continue;
    }
    try {
      // The fighters' records only after the round is archived, in the same attempt: a failure of either retries
      // both, and both are idempotent (the archive by poll id, the records by their per-fight rows), so a retry,
      // or a timed-out attempt that still lands, never counts a fight twice.
      const { inserted } = await withTimeout(
        (async () => {
          const archived = await archiveResult(db, result);
          await recordFighterResults(db, result);
          return archived;
        })(),
        attemptTimeoutMs,
        'archive attempt',
      );
      const winner = result.outcome.winner ? result.matchup.options.find((o) => o.id === result.outcome.winner) : undefined;
      store.outboxDone(pollId);
      log.info('round.archived', { room, pollId, inserted });
      // After the outbox delete: the leaderboard is a cache, and a Redis hiccup must not make the round retry.
      if (winner) {
        await redis
          .eval(COUNT_WIN_ONCE, [keys.leaderboardCounted(room, pollId), keys.leaderboard], [COUNTED_MARKER_SEC, winner.fighter.name])
          .catch((e: unknown) => log.warn('leaderboard.update-failed', { room, pollId, error: message(e) }));
      }
    } catch (err) {
      const attempts = store.outboxFailed(pollId);
      const permanent = permanentArchiveError(err);
      if (permanent) park(store, room, pollId, attempts, `${permanent}: ${message(err)}`, now);
      else if (attempts >= config.ARCHIVE_MAX_ATTEMPTS) park(store, room, pollId, attempts, `gave up after ${attempts} attempts: ${message(err)}`, now);
      else log.warn('round.archive-failed', { room, pollId, attempts, error: message(err) });
    }
  }
}

function park(store: RoomStorage, room: string, pollId: string, attempts: number, error: string, now: number): void {
  store.parkOutbox(pollId, error, now);
  log.error('round.archive-parked', { room, pollId, attempts, error });
}
