// @upstash/ratelimit through the Upstash stand-in, on the embedded store (its Lua bridge) and on real Redis.
// The in-memory ephemeral cache is off so every decision is made by the scripts on the server side.
import { randomBytes } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRest } from './upstash-rest.ts';
import type { UpstashRestServer } from './upstash-rest.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = 'ratelimit-test-token';
// Windows far longer than a test run, so no run straddles a window boundary and resets the count.
const LONG_WINDOW = '100 d';

describe.each([
  { backend: 'embedded', redisUrl: undefined },
  { backend: 'redis', redisUrl: REDIS_URL },
])('@upstash/ratelimit on the $backend stand-in', ({ redisUrl }) => {
  const prefix = `sf_test:${randomBytes(4).toString('hex')}:rl`;
  let server: UpstashRestServer;
  let redis: Redis;
  const limiter = (algorithm: ReturnType<typeof Ratelimit.fixedWindow>, name: string) =>
    new Ratelimit({ redis, limiter: algorithm, prefix: `${prefix}:${name}`, ephemeralCache: false, analytics: false });

  beforeAll(async () => {
    server = await startUpstashRest({ token: TOKEN, redisUrl });
    redis = new Redis({ url: server.url, token: TOKEN, enableTelemetry: false });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await server.close();
  });

  for (const [name, algorithm] of [
    ['fixedWindow', () => Ratelimit.fixedWindow(5, LONG_WINDOW)],
    ['slidingWindow', () => Ratelimit.slidingWindow(5, LONG_WINDOW)],
    ['tokenBucket', () => Ratelimit.tokenBucket(1, LONG_WINDOW, 5)],
  ] as const) {
    it(`${name}: allows exactly 5, then blocks; identifiers are independent`, async () => {
      const rl = limiter(algorithm(), name);
      const results = [];
      for (let i = 0; i < 8; i++) results.push(await rl.limit('voter-a'));
      expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false, false, false]);
      expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
      expect(results.every((r) => r.limit === 5 && r.reset > Date.now())).toBe(true);
      expect((await rl.limit('voter-b')).success).toBe(true);
      expect(await rl.getRemaining('voter-a')).toMatchObject({ remaining: 0, limit: 5 });
      expect(await rl.getRemaining('voter-c')).toMatchObject({ remaining: 5 });
    });
  }

  it('sets a TTL on the window keys it creates', async () => {
    const rl = limiter(Ratelimit.fixedWindow(5, '1 h'), 'ttl');
    await rl.limit('voter-t');
    const [key] = await redis.keys(`${prefix}:ttl:voter-t:*`);
    expect(key).toBeDefined();
    const ttl = await redis.pttl(key as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('stays exact under concurrent requests (the scripts are atomic)', async () => {
    for (const [name, algorithm] of [
      ['fixed-burst', Ratelimit.fixedWindow(5, LONG_WINDOW)],
      ['sliding-burst', Ratelimit.slidingWindow(5, LONG_WINDOW)],
    ] as const) {
      const rl = limiter(algorithm, name);
      const results = await Promise.all(Array.from({ length: 20 }, () => rl.limit('voter-burst')));
      expect(results.filter((r) => r.success), name).toHaveLength(5);
    }
  });

  it('resets used tokens (the SCAN + DEL script)', async () => {
    const rl = limiter(Ratelimit.fixedWindow(2, LONG_WINDOW), 'reset');
    await rl.limit('voter-r');
    await rl.limit('voter-r');
    expect((await rl.limit('voter-r')).success).toBe(false);
    await rl.resetUsedTokens('voter-r');
    expect((await rl.limit('voter-r')).success).toBe(true);
  });
});
