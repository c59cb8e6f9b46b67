/**
 * The Redis side of admitting a batch of votes: both rate limits for every vote, and the voted markers
 * afterwards. Each is one Upstash request per batch: the calls are issued in the same turn, and the Upstash
 * client's auto-pipelining sends commands issued together as one /pipeline request.
 */
import type { AppConfig } from '../env.ts';
import { limiters } from '../http/limits.ts';
import { log } from '../log.ts';
import { keys, services } from '../services.ts';

export interface Caller {
  voterId: string;
  /** The keyed hash of the caller's address prefix; absent for a bridge's platform accounts. */
  address?: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; retryAfterSec: number };

/** How long a batch waits for its rate limits before letting its votes through (one timer per batch). */
const LIMIT_TIMEOUT_MS = 2_000;

/**
 * The per-address (short-window) and per-voter limits of every caller, in order. When Redis cannot be reached the votes are let
 * through (as @upstash/ratelimit itself does on a timeout): counting stays exact without Redis, because the
 * room's own SQLite is what refuses a second vote, and a round should not stop because a cache is down.
 */
export async function rateLimitBatch(config: AppConfig, room: string, callers: Caller[], timeoutMs = LIMIT_TIMEOUT_MS): Promise<Verdict[]> {
  const l = limiters(config);
  const pass = Promise.resolve({ success: true, reset: 0 });
  const checks = Promise.allSettled(callers.flatMap((c) => [c.address ? l.voteIp.limit(c.address) : pass, l.voteVoter.limit(c.voterId)]));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const results = await Promise.race([checks, timedOut]).finally(() => clearTimeout(timer));
  if (!results) {
    log.warn('vote.rate-limit-unavailable', { room, votes: callers.length, error: `no answer from Redis within ${timeoutMs} ms` });
    return callers.map(() => ({ ok: true }));
  }
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) log.warn('vote.rate-limit-unavailable', { room, votes: callers.length, error: String(failed.reason) });
  const now = Date.now();
  return callers.map((_, i) => {
    const [ip, voter] = [results[2 * i]!, results[2 * i + 1]!];
    const refusals = [ip, voter].flatMap((r) => (r.status === 'fulfilled' && !r.value.success ? [r.value.reset] : []));
    if (refusals.length === 0) return { ok: true };
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((Math.max(...refusals) - now) / 1000)) };
  });
}

/** How long a voted marker lives in Redis; erasing a voter (routes/voters.ts) looks back this far. */
export const VOTED_MARKER_SEC = 6 * 3600;

/** Who voted for what, kept 6 h in Redis for other services (the room's SQLite keeps only the live and last poll). */
export async function markVoted(config: AppConfig, room: string, votes: Array<{ pollId: string; voterId: string; option: string }>): Promise<void> {
  if (votes.length === 0) return;
  const { redis } = services(config);
  const results = await Promise.allSettled(votes.map((v) => redis.set(keys.voted(room, v.pollId, v.voterId), v.option, { ex: VOTED_MARKER_SEC })));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) log.warn('vote.mark-failed', { room, votes: votes.length, error: String(failed.reason) });
}
