import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis/cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRest, type UpstashRestServer } from '@stream-fighter/devstack/standins/upstash-rest';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { BoundedMap } from './bounded-map.ts';

const TOKEN = 'bounded-map-test-token';

describe('BoundedMap', () => {
  it('keeps the newest `max` entries; setting a key again makes it the newest', () => {
    const m = new BoundedMap<string, number>(3);
    for (const k of ['a', 'b', 'c', 'd', 'e']) m.set(k, 1);
    expect([...m.keys()]).toEqual(['c', 'd', 'e']);
    m.set('c', 2);
    m.set('f', 1);
    expect([...m.entries()]).toEqual([['e', 1], ['c', 2], ['f', 1]]);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });
});

describe("as @upstash/ratelimit's ephemeral cache (http/limits.ts)", () => {
  let upstash: UpstashRestServer;

  beforeAll(async () => {
    upstash = await startUpstashRest({ token: TOKEN, port: await freePort(), log: () => {} });
  });
  afterAll(() => upstash.close());

  it('holds at most `max` refused callers, and one it forgot is still refused, by Redis', async () => {
    const refused = new BoundedMap<string, number>(3);
    const redis = new Redis({ url: upstash.url, token: TOKEN, enableTelemetry: false });
    const prefix = `sf:test:bounded:${Date.now()}`;
    const limiter = new Ratelimit({ redis, prefix, limiter: Ratelimit.fixedWindow(1, '60 s'), analytics: false, ephemeralCache: refused });
    const callers = Array.from({ length: 10 }, (_, i) => `voter-${i}`);
    for (const id of callers) {
      expect((await limiter.limit(id)).success).toBe(true);
      expect((await limiter.limit(id)).success).toBe(false);
    }
    // The library would have kept all ten until each came back (its keys carry the limiter's prefix).
    expect([...refused.keys()]).toEqual(['voter-7', 'voter-8', 'voter-9'].map((id) => `${prefix}:${id}`));

    // A caller still in the cache is refused without Redis; one forgotten is refused by Redis, and remembered again.
    expect(await limiter.limit('voter-9')).toMatchObject({ success: false, reason: 'cacheBlock' });
    const forgotten = await limiter.limit('voter-0');
    expect(forgotten.success).toBe(false);
    expect(forgotten.reason).toBeUndefined();
    expect(refused.size).toBe(3);
    expect(refused.has(`${prefix}:voter-0`)).toBe(true);
  });
});
