import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from '../http/errors.ts';
import { checkLimit, limiters } from '../http/limits.ts';

/** POST /api/bet and GET /api/me: at most POINTS_CALLS_PER_10S per voter, since each is a call to the one room. */
export async function limitPoints(c: Context<AppEnv>, voterId: string): Promise<void> {
  const limit = await checkLimit(limiters(c.var.config).points, voterId, 'points', (p) => c.executionCtx.waitUntil(p));
  if (limit.ok) return;
  c.header('retry-after', String(limit.retryAfterSec));
  throw new ApiException(429, 'rate-limited', `at most ${c.var.config.POINTS_CALLS_PER_10S} bets or balance reads per 10 s; try again shortly`);
}
