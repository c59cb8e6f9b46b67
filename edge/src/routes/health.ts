import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { arena } from '../room/stub.ts';
import { services } from '../services.ts';
import { checkDb } from '../db/health.ts';

const TIMEOUT_MS = 3_000;

async function probe<T>(fn: () => Promise<T>): Promise<{ ok: true; ms: number; detail: T } | { ok: false; ms: number; error: string }> {
  const t0 = Date.now();
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)),
    ]);
    return { ok: true, ms: Date.now() - t0, detail };
  } catch (e) {
    return { ok: false, ms: Date.now() - t0, error: e instanceof Error ? e.message : String(e) };
  }
}

export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const { config } = c.var;
  const { redis, db } = services(config);
  const [room, redisCheck, postgres] = await Promise.all([
    probe(() => arena(c.env, config).health()),
    probe(() => redis.ping()),
    probe(async () => {
      const h = await checkDb(db);
      if (!h.ok) throw new Error(h.error);
      return h;
    }),
  ]);
  const ok = room.ok && redisCheck.ok && postgres.ok;
  c.header('cache-control', 'no-store');
  return c.json({ ok, service: 'edge', room, redis: redisCheck, postgres }, ok ? 200 : 503);
});
