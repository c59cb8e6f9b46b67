import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AppConfig } from '../env.ts';
import { badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';
import { services } from '../services.ts';
import { checkDb } from '../db/health.ts';

const TIMEOUT_MS = 3_000;
/** A failed check is repeated sooner than a good one, so a recovery shows within a second. */
const FAILURE_CACHE_MS = 1_000;

type Probe<T> = { ok: true; ms: number; detail: T } | { ok: false; ms: number; error: string };

async function probe<T>(fn: () => Promise<T>): Promise<Probe<T>> {
  const t0 = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS))),
    ]);
    return { ok: true, ms: Date.now() - t0, detail };
  } catch (e) {
    return { ok: false, ms: Date.now() - t0, error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

async function check(env: Env, config: AppConfig) {
  const { redis, db } = services(config);
  const [room, redisCheck, postgres] = await Promise.all([
    probe(() => roomStub(env, config).health()),
    probe(() => redis.ping()),
    probe(async () => {
      const h = await checkDb(db);
      if (!h.ok) throw new Error(h.error);
      return h;
    }),
  ]);
  const ok = room.ok && redisCheck.ok && postgres.ok;
  return { ok, service: 'edge' as const, room, redis: redisCheck, postgres, checkedAt: Date.now() };
}
type Report = Awaited<ReturnType<typeof check>>;

/**
 * The last check, per isolate: every public caller within the window shares it (and one that is still running),
 * so a flood of health requests costs the room, Redis and Postgres one probe each per window.
 */
let last: { config: AppConfig; report: Promise<Report> } | null = null;

async function sharedCheck(env: Env, config: AppConfig): Promise<Report> {
  const current = last?.config === config ? last : null;
  if (current) {
    const r = await current.report;
    const ttlMs = config.HEALTH_CACHE_SECONDS * 1000;
    if (Date.now() - r.checkedAt < (r.ok ? ttlMs : Math.min(ttlMs, FAILURE_CACHE_MS))) return r;
    // Another caller already started the next check while this one waited: share it.
    if (last && last !== current) return last.report;
  }
  const report = check(env, config);
  last = { config, report };
  return report;
}

export const healthRoutes = new Hono<AppEnv>().get(
  '/',
  // `?deep=1` is the operator's: a check of its own, now, never shared.
  (c, next) => {
    const deep = c.req.query('deep');
    if (deep === undefined) return next();
    if (deep !== '1') throw badRequest('invalid-query', 'deep must be 1');
    return requireOperator(c, next);
  },
  async (c) => {
    const { config } = c.var;
    const deep = c.req.query('deep') === '1';
    const report = deep || config.HEALTH_CACHE_SECONDS === 0 ? await check(c.env, config) : await sharedCheck(c.env, config);
    c.header('cache-control', 'no-store');
    if (!deep) c.header('age', String(Math.max(0, Math.floor((Date.now() - report.checkedAt) / 1000))));
    return c.json(report, report.ok ? 200 : 503);
  },
);
