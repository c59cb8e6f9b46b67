import { Ratelimit } from '@upstash/ratelimit';
import { log } from '../log.ts';
import { BoundedMap } from './bounded-map.ts';
import type { AppConfig } from '../env.ts';
import { services } from '../services.ts';

export interface Limiters {
  voteIp: Ratelimit;
  voteVoter: Ratelimit;
  shoutout: Ratelimit;
  /** New voter sessions per address per hour. */
  sessions: Ratelimit;
  /** A voter's calls about their points (POST /api/bet, GET /api/me), each a call to the one room. */
  points: Ratelimit;
}

const cache = new WeakMap<AppConfig, Limiters>();

/**
 * Identifiers each limiter remembers as refused (the library's ephemeral cache, which answers a refused caller
 * again without asking Redis until its window ends). The library forgets one only when it asks again, so the
 * cache is bounded here: forgetting early costs one Redis check, which refuses the caller again.
 */
const REFUSED_CACHE_MAX = 10_000;
const refusedCache = () => new BoundedMap<string, number>(REFUSED_CACHE_MAX);

/** The rate limits, on Upstash Redis so they hold across every Worker isolate. */
export function limiters(config: AppConfig): Limiters {
  let l = cache.get(config);
  if (!l) {
    const { redis } = services(config);
    l = {
      // No per-call timeout (a timer per vote): the room times out a whole batch at once (room/admission.ts).
      voteIp: new Ratelimit({ redis, prefix: 'sf:rl:ip', limiter: Ratelimit.slidingWindow(config.RATE_LIMIT_IP_PER_10S, '10 s'), analytics: false, timeout: 0, ephemeralCache: refusedCache() }),
      voteVoter: new Ratelimit({ redis, prefix: 'sf:rl:voter', limiter: Ratelimit.fixedWindow(config.RATE_LIMIT_VOTER_PER_10S, '10 s'), analytics: false, timeout: 0, ephemeralCache: refusedCache() }),
      shoutout: new Ratelimit({ redis, prefix: 'sf:rl:shout', limiter: Ratelimit.slidingWindow(config.SHOUTOUT_PER_MIN, '60 s'), analytics: false, ephemeralCache: refusedCache() }),
      // A minted session costs a solved challenge and this; voter/session.ts lets it through when Redis fails.
      sessions: new Ratelimit({ redis, prefix: 'sf:rl:session', limiter: Ratelimit.slidingWindow(config.SESSIONS_PER_ADDRESS_PER_HOUR, '1 h'), analytics: false, timeout: 2_000, ephemeralCache: refusedCache() }),
      points: new Ratelimit({ redis, prefix: 'sf:rl:points', limiter: Ratelimit.slidingWindow(config.POINTS_CALLS_PER_10S, '10 s'), analytics: false, timeout: 2_000, ephemeralCache: refusedCache() }),
    };
    cache.set(config, l);
  }
  return l;
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * One check of a limit that must not take the route down with Redis: when Redis fails or does not answer in time
 * the request goes through, with a warning (what the limit guards has a bound of its own in the room).
 * `defer` keeps the limiter's background writes alive (executionCtx.waitUntil).
 */
export async function checkLimit(limiter: Ratelimit, key: string, what: string, defer: (p: Promise<unknown>) => void): Promise<LimitVerdict> {
  let limit: Awaited<ReturnType<Ratelimit['limit']>>;
  try {
    limit = await limiter.limit(key);
  } catch (e) {
    log.warn('rate-limit.unavailable', { limit: what, error: e instanceof Error ? e.message : String(e) });
    return { ok: true };
  }
  defer(limit.pending);
  if (limit.reason === 'timeout') log.warn('rate-limit.unavailable', { limit: what, error: 'no answer from Redis in time' });
  return limit.success ? { ok: true } : { ok: false, retryAfterSec: Math.max(1, Math.ceil((limit.reset - Date.now()) / 1000)) };
}
