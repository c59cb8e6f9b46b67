// Drives the Upstash stand-in with the real @upstash/redis client against the embedded store and against the
// Redis server on this machine: the same assertions for both, which is how the embedded store proves it
// behaves like Redis.
import { randomBytes } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRest } from './upstash-rest.ts';
import type { UpstashRestServer } from './upstash-rest.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = `test-token-${randomBytes(6).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  { backend: 'embedded' as const, redisUrl: undefined },
  { backend: 'redis' as const, redisUrl: REDIS_URL },
])('upstash-rest stand-in on $backend', ({ backend, redisUrl }) => {
  // Every key of a run lives under its own prefix on the shared server; afterAll deletes exactly those.
  const p = `sf_test:${randomBytes(4).toString('hex')}:`;
  const logs: Array<Record<string, unknown>> = [];
  let server: UpstashRestServer;
  let redis: Redis;

  const raw = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startUpstashRest({ token: TOKEN, redisUrl, log: (entry) => logs.push(entry) });
    redis = new Redis({ url: server.url, token: TOKEN, enableTelemetry: false });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${p}*`);
    if (keys.length) await redis.del(...keys);
    await server.close();
  });

  it('reports its backend on /health and in the start log, never the token', async () => {
    expect(server.backend).toBe(backend);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true, backend });
    expect(logs.find((l) => l.msg === 'upstash-rest: listening')).toMatchObject({ backend });
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('rejects a wrong or missing token with 401', async () => {
    const intruder = new Redis({ url: server.url, token: 'wrong', enableTelemetry: false });
    await expect(intruder.get(`${p}x`)).rejects.toThrow(/Unauthorized/);
    const res = await fetch(server.url, { method: 'POST', body: JSON.stringify(['PING']) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Unauthorized' });
  });

  it('stores strings and numbers with SET options, MGET/MSET and counters', async () => {
    expect(await redis.set(`${p}s`, 'héllo wörld')).toBe('OK');
    expect(await redis.get(`${p}s`)).toBe('héllo wörld');
    expect(await redis.set(`${p}s`, 'other', { nx: true })).toBeNull();
    expect(await redis.set(`${p}s`, 'next', { get: true })).toBe('héllo wörld');
    expect(await redis.set(`${p}missing`, 'v', { xx: true })).toBeNull();
    expect(await redis.setnx(`${p}s`, 'nope')).toBe(0);
    await redis.mset({ [`${p}m1`]: 'one', [`${p}m2`]: 2 });
    expect(await redis.mget(`${p}m1`, `${p}m2`, `${p}none`)).toEqual(['one', 2, null]);
    expect(await redis.incr(`${p}n`)).toBe(1);
    expect(await redis.incrby(`${p}n`, 41)).toBe(42);
    expect(await redis.decr(`${p}n`)).toBe(41);
    expect(await redis.get(`${p}n`)).toBe(41);
    await expect(redis.incr(`${p}s`)).rejects.toThrow('ERR value is not an integer or out of range');
    await redis.hset(`${p}wrong`, { f: 1 });
    await expect(redis.get(`${p}wrong`)).rejects.toThrow(/WRONGTYPE Operation against a key holding the wrong kind of value/);
    expect(await redis.exists(`${p}s`, `${p}n`, `${p}none`)).toBe(2);
    expect(await redis.del(`${p}s`, `${p}none`)).toBe(1);
    expect(await redis.get(`${p}s`)).toBeNull();
  });

  it('expires keys with EX, PX, EXPIRE and PEXPIRE and reports TTL and PTTL', async () => {
    await redis.set(`${p}ttl`, 'v', { ex: 100 });
    expect(await redis.ttl(`${p}ttl`)).toBe(100);
    expect(await redis.pttl(`${p}ttl`)).toBeGreaterThan(99_000);
    expect(await redis.persist(`${p}ttl`)).toBe(1);
    expect(await redis.ttl(`${p}ttl`)).toBe(-1);
    expect(await redis.ttl(`${p}none`)).toBe(-2);
    expect(await redis.expire(`${p}ttl`, 50)).toBe(1);
    expect(await redis.expire(`${p}none`, 50)).toBe(0);
    await redis.set(`${p}px`, 'v', { px: 60 });
    await redis.incr(`${p}counter`);
    expect(await redis.pexpire(`${p}counter`, 60)).toBe(1);
    expect(await redis.incr(`${p}counter`)).toBe(2); // INCR keeps the TTL
    expect(await redis.pttl(`${p}counter`)).toBeGreaterThan(0);
    await sleep(150);
    expect(await redis.get(`${p}px`)).toBeNull();
    expect(await redis.get(`${p}counter`)).toBeNull();
    expect(await redis.exists(`${p}px`, `${p}counter`)).toBe(0);
  });

  it('keeps hashes: HSET, HGETALL as an object, HINCRBY, HDEL, HLEN', async () => {
    expect(await redis.hset(`${p}h`, { a: 1, b: 'two', c: '{"x":1}' })).toBe(3);
    expect(await redis.hgetall(`${p}h`)).toEqual({ a: 1, b: 'two', c: { x: 1 } });
    expect(await redis.hget(`${p}h`, 'b')).toBe('two');
    expect(await redis.hmget(`${p}h`, 'a', 'zzz')).toEqual({ a: 1, zzz: null });
    expect(await redis.hincrby(`${p}h`, 'a', 10)).toBe(11);
    await expect(redis.hincrby(`${p}h`, 'b', 1)).rejects.toThrow('ERR hash value is not an integer');
    expect(await redis.hdel(`${p}h`, 'c', 'zzz')).toBe(1);
    expect(await redis.hlen(`${p}h`)).toBe(2);
    expect(await redis.hgetall(`${p}nohash`)).toBeNull();
    expect(await redis.hdel(`${p}h`, 'a', 'b')).toBe(2);
    expect(await redis.exists(`${p}h`)).toBe(0); // an emptied hash is gone
  });

  it('keeps sorted sets: ZADD, ZINCRBY, ZSCORE, ZRANGE (REV, BYSCORE, WITHSCORES), ZRANK, ZREM', async () => {
    const z = `${p}z`;
    expect(await redis.zadd(z, { score: 3, member: 'ken' }, { score: 1.5, member: 'ryu' }, { score: 3, member: 'guile' })).toBe(3);
    expect(await redis.zadd(z, { gt: true }, { score: 1, member: 'ryu' })).toBe(0);
    expect(await redis.zadd(z, { ch: true }, { score: 2, member: 'ryu' }, { score: 9, member: 'blanka' })).toBe(2);
    expect(await redis.zincrby(z, 0.5, 'ryu')).toBe(2.5);
    expect(await redis.zscore(z, 'ryu')).toBe(2.5);
    expect(await redis.zscore(z, 'nobody')).toBeNull();
    expect(await redis.zrange(z, 0, -1)).toEqual(['ryu', 'guile', 'ken', 'blanka']);
    expect(await redis.zrange(z, 0, 1, { rev: true, withScores: true })).toEqual(['blanka', 9, 'ken', 3]);
    expect(await redis.zrange(z, 2, 3, { byScore: true })).toEqual(['ryu', 'guile', 'ken']);
    expect(await redis.zrange(z, '(3', '+inf', { byScore: true, withScores: true })).toEqual(['blanka', 9]);
    expect(await redis.zrange(z, 9, 0, { byScore: true, rev: true, offset: 1, count: 2 })).toEqual(['ken', 'guile']);
    expect(await redis.zrank(z, 'ken')).toBe(2);
    expect(await redis.zrevrank(z, 'ken')).toBe(1);
    expect(await redis.zcard(z)).toBe(4);
    expect(await redis.zrem(z, 'ken', 'nobody')).toBe(1);
    expect(await redis.zcount(z, 0, 3)).toBe(2);
  });

  it('keeps lists and sets', async () => {
    expect(await redis.rpush(`${p}l`, 'b', 'c')).toBe(2);
    expect(await redis.lpush(`${p}l`, 'a', 'z')).toBe(4);
    expect(await redis.lrange(`${p}l`, 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await redis.ltrim(`${p}l`, 1, -2)).toBe('OK');
    expect(await redis.lrange(`${p}l`, 0, -1)).toEqual(['a', 'b']);
    expect(await redis.llen(`${p}l`)).toBe(2);
    expect(await redis.lpop(`${p}l`)).toBe('a');
    expect(await redis.sadd(`${p}set`, 'x', 'y', 'x')).toBe(2);
    expect(await redis.sismember(`${p}set`, 'y')).toBe(1);
    expect(await redis.sismember(`${p}set`, 'q')).toBe(0);
    expect(await redis.scard(`${p}set`)).toBe(2);
    expect((await redis.smembers(`${p}set`)).sort()).toEqual(['x', 'y']);
  });

  it('lists KEYS by glob pattern', async () => {
    await redis.mset({ [`${p}k:a1`]: 1, [`${p}k:b2`]: 2, [`${p}k:a3`]: 3, [`${p}other`]: 4 });
    expect((await redis.keys(`${p}k:a*`)).sort()).toEqual([`${p}k:a1`, `${p}k:a3`]);
    expect((await redis.keys(`${p}k:?2`)).sort()).toEqual([`${p}k:b2`]);
    expect((await redis.keys(`${p}k:[ab][13]`)).sort()).toEqual([`${p}k:a1`, `${p}k:a3`]);
  });

  it('runs pipelines: results in order, errors kept per command', async () => {
    const results = await redis.pipeline().set(`${p}pipe`, 5).incr(`${p}pipe`).get(`${p}pipe`).hgetall(`${p}pipe-h`).exec();
    expect(results).toEqual(['OK', 6, 6, null]);
    const mixed = await redis.pipeline().set(`${p}pipe-s`, 'text').incr(`${p}pipe-s`).incr(`${p}pipe`).exec({ keepErrors: true });
    expect(mixed[0]).toMatchObject({ result: 'OK' });
    expect(mixed[1]?.error).toMatch(/ERR value is not an integer/);
    expect(mixed[2]).toMatchObject({ result: 7 });
  });

  it('runs MULTI/EXEC transactions atomically', async () => {
    const results = await redis.multi().incr(`${p}tx`).incr(`${p}tx`).hset(`${p}tx-h`, { a: 1 }).hgetall(`${p}tx-h`).exec();
    expect(results).toEqual([1, 2, 1, { a: 1 }]);
    // Concurrent transactions each read their own increments back: nothing interleaves inside one.
    const pairs = await Promise.all(Array.from({ length: 20 }, () => redis.multi().incr(`${p}tx2`).incr(`${p}tx2`).exec()));
    for (const [a, b] of pairs) expect(b).toBe((a as number) + 1);
    expect(await redis.get(`${p}tx2`)).toBe(40);
  });

  it('answers the raw wire shapes: base64 strings except OK, flat HGETALL, 400 errors', async () => {
    await redis.hset(`${p}wire`, { f: 'v', g: 'w' });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const encoded = await raw('/', ['HGETALL', `${p}wire`], { 'Upstash-Encoding': 'base64' });
    expect(await encoded.json()).toEqual({ result: [b64('f'), b64('v'), b64('g'), b64('w')] });
    const plain = await raw('/', ['HGETALL', `${p}wire`]);
    expect(await plain.json()).toEqual({ result: ['f', 'v', 'g', 'w'] });
    expect(await (await raw('/', ['SET', `${p}wire-s`, 'OK'], { 'Upstash-Encoding': 'base64' })).json()).toEqual({ result: 'OK' });
    expect(await (await raw('/', ['PING'], { 'Upstash-Encoding': 'base64' })).json()).toEqual({ result: b64('PONG') });
    expect(await (await raw('/', ['ZADD', `${p}wire-z`, 1.5, 'm'])).json()).toEqual({ result: 1 });
    expect(await (await raw('/', ['ZRANGE', `${p}wire-z`, 0, -1, 'WITHSCORES'])).json()).toEqual({ result: ['m', '1.5'] });

    const failed = await raw('/', ['INCR', `${p}wire-s`]);
    expect(failed.status).toBe(400);
    expect(await failed.json()).toEqual({ error: 'ERR value is not an integer or out of range' });
    const pipeline = await raw('/pipeline', [['INCR', `${p}wire-n`], ['INCR', `${p}wire-s`], ['GET', `${p}wire-n`]]);
    expect(pipeline.status).toBe(200);
    expect(await pipeline.json()).toEqual([{ result: 1 }, { error: 'ERR value is not an integer or out of range' }, { result: '1' }]);
    const multi = await raw('/multi-exec', [['INCR', `${p}wire-n`], ['INCR', `${p}wire-s`]]);
    expect(await multi.json()).toEqual([{ result: 2 }, { error: 'ERR value is not an integer or out of range' }]);

    for (const body of ['{nope', '[]', '{"a":1}', '[["GET"], {}]']) {
      const res = await raw(body.startsWith('[[') ? '/pipeline' : '/', body);
      expect(res.status, body).toBe(400);
      expect(typeof ((await res.json()) as { error?: unknown }).error).toBe('string');
    }
    const unknown = await raw('/', ['NOSUCHCOMMAND', 'x']);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/^ERR unknown command/);
  });

  it('runs Lua with Redis type conversions, EVALSHA, SCRIPT LOAD/EXISTS and NOSCRIPT', async () => {
    await redis.set(`${p}lua`, 'v');
    expect(await redis.eval("return {1, 'a', false, {2, redis.call('GET', KEYS[1])}, 3.7, true, -2.9}", [`${p}lua`], [])).toEqual([
      1, 'a', null, [2, 'v'], 3, 1, -2,
    ]);
    expect(await redis.eval('return ARGV[1] .. ARGV[2]', [], ['x', 7])).toBe('x7');
    expect(await redis.eval("return redis.call('INCRBY', KEYS[1], ARGV[1]) * 2", [`${p}lua-n`], [5])).toBe(10);
    expect(await redis.eval("return redis.call('HGETALL', KEYS[1])", [`${p}lua-none`], [])).toEqual([]);
    expect(await redis.eval("return redis.call('GET', KEYS[1]) == false", [`${p}lua-none`], [])).toBe(1);
    expect(await redis.eval("return 'n=' .. tostring(10 / 2)", [], [])).toBe('n=5');
    expect(await redis.eval("return redis.status_reply('FINE')", [], [])).toBe('FINE');
    expect(await redis.eval("local r = redis.pcall('INCR', KEYS[1]); return r['err']", [`${p}lua`], [])).toBe(
      'ERR value is not an integer or out of range',
    );
    await expect(redis.eval("return redis.call('INCR', KEYS[1])", [`${p}lua`], [])).rejects.toThrow(/ERR value is not an integer/);
    await expect(redis.eval("return redis.error_reply('MY failure')", [], [])).rejects.toThrow(/MY failure/);
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);

    const script = `return redis.call('SET', KEYS[1], ARGV[1])`;
    const sha = await redis.scriptLoad(script);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.scriptExists(sha, '0'.repeat(40))).toEqual([1, 0]);
    expect(await redis.evalsha(sha, [`${p}lua-set`], ['via-sha'])).toBe('OK');
    expect(await redis.get(`${p}lua-set`)).toBe('via-sha');
  });

  it('accepts Upstash script flags in a shebang and keeps EVALSHA working', async () => {
    const script = `#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])`;
    expect(await redis.eval(script, [`${p}flag`], [])).toBe(1);
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha1').update(script).digest('hex');
    expect(await redis.evalsha(sha, [`${p}flag`], [])).toBe(2);
  });

  it('serves many concurrent clients without losing writes', async () => {
    await Promise.all(Array.from({ length: 50 }, () => redis.incr(`${p}many`)));
    expect(await redis.get(`${p}many`)).toBe(50);
  });
});

describe('upstash-rest stand-in start-up', () => {
  it('refuses to start when Redis is unreachable, without logging the password', async () => {
    const logs: string[] = [];
    const err = await startUpstashRest({ token: TOKEN, redisUrl: 'redis://:hunter2@127.0.0.1:1', log: (l) => logs.push(JSON.stringify(l)) }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/cannot reach Redis/);
    expect((err as Error).message + logs.join()).not.toContain('hunter2');
  });
});
