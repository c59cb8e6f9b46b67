/**
 * Public reads answered from the Workers Cache API for a few seconds: a crowd reloading the results page costs
 * Postgres and Redis one query per key per data centre per window, not one per viewer. Only the JSON body is
 * kept; each answer is built fresh around it, so CORS and other per-request headers never leak between callers.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { log } from '../log.ts';

/**
 * `path` is the normalised key (route plus parsed query), so junk query parameters cannot bypass the cache.
 * A hit carries `Age`; both carry a `Cache-Control` that lets browsers hold it for what is left of the window.
 */
export async function edgeCachedJson(c: Context<AppEnv>, path: string, ttlSec: number, produce: () => Promise<unknown>): Promise<Response> {
  if (ttlSec <= 0) return c.json(await produce());
  const key = new Request(new URL(path, c.req.url).href);
  const cache = caches.default;
  const hit = await cache.match(key).catch((e: unknown) => {
    log.warn('edge-cache.match-failed', { path, error: String(e) });
    return undefined;
  });
  if (hit) {
    const age = Math.max(0, Number(hit.headers.get('age')) || 0);
    return c.body(await hit.text(), 200, {
      'content-type': 'application/json',
      'cache-control': `public, max-age=${Math.max(0, ttlSec - age)}`,
      age: String(age),
    });
  }
  const body = JSON.stringify(await produce());
  const stored = new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${ttlSec}` } });
  c.executionCtx.waitUntil(cache.put(key, stored).catch((e: unknown) => log.warn('edge-cache.put-failed', { path, error: String(e) })));
  return c.body(body, 200, { 'content-type': 'application/json', 'cache-control': `public, max-age=${ttlSec}` });
}
