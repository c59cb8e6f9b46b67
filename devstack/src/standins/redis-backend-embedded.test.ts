// The embedded store on its own, with a fake clock, for what the shared client tests cannot pin down
// (exact expiry, FLUSHDB, transaction aborts) without touching a real server's data.
import { describe, expect, it } from 'vitest';
import { EmbeddedRedis, createEmbeddedBackend } from './redis-backend-embedded.ts';
import { RedisError } from './redis-reply.ts';

function clockedRedis() {
  let now = 1_000_000;
  const redis = new EmbeddedRedis(() => now);
  return { redis, advance: (ms: number) => (now += ms), run: (...args: Array<string | number>) => redis.exec(args.map(String)) };
}

describe('EmbeddedRedis', () => {
  it('expires keys exactly at their deadline and rounds TTL like Redis', () => {
    const { run, advance } = clockedRedis();
    run('SET', 'k', 'v', 'PX', 1500);
    expect(run('TTL', 'k')).toBe(2); // 1.5 s rounds to 2, as Redis does
    expect(run('PTTL', 'k')).toBe(1500);
    advance(1499);
    expect(run('GET', 'k')).toBe('v');
    advance(1);
    expect(run('GET', 'k')).toBeNull();
    expect(run('TTL', 'k')).toBe(-2);
  });

  it('follows EXPIRE NX/XX/GT/LT and deletes on a deadline in the past', () => {
    const { run } = clockedRedis();
    run('SET', 'k', 'v');
    expect(run('EXPIRE', 'k', 100, 'XX')).toBe(0);
    expect(run('EXPIRE', 'k', 100, 'NX')).toBe(1);
    expect(run('EXPIRE', 'k', 50, 'GT')).toBe(0);
    expect(run('EXPIRE', 'k', 200, 'GT')).toBe(1);
    expect(run('EXPIRE', 'k', 10, 'LT')).toBe(1);
    expect(run('TTL', 'k')).toBe(10);
    expect(run('EXPIRE', 'k', -1)).toBe(1);
    expect(run('EXISTS', 'k')).toBe(0);
  });

  it('rejects bad arity, unknown commands and bad options with Redis messages', () => {
    const { run } = clockedRedis();
    expect(() => run('GET')).toThrow("ERR wrong number of arguments for 'get' command");
    expect(() => run('FOO', 'a')).toThrow(/^ERR unknown command 'FOO'/);
    expect(() => run('SET', 'k', 'v', 'EX', 0)).toThrow("ERR invalid expire time in 'set' command");
    expect(() => run('SET', 'k', 'v', 'BOGUS')).toThrow('ERR syntax error');
    expect(() => run('ZADD', 'z', 'NX', 'XX', 1, 'm')).toThrow(/not compatible/);
    expect(() => run('INCRBY', 'n', '1.5')).toThrow(RedisError);
  });

  it('FLUSHDB empties the store and SCRIPT FLUSH forgets scripts', () => {
    const { run } = clockedRedis();
    run('MSET', 'a', 1, 'b', 2);
    const sha = run('SCRIPT', 'LOAD', 'return 1') as string;
    expect(run('DBSIZE')).toBe(2);
    expect(run('FLUSHDB')).toEqual({ status: 'OK' });
    expect(run('DBSIZE')).toBe(0);
    expect(run('SCRIPT', 'FLUSH')).toEqual({ status: 'OK' });
    expect(() => run('EVALSHA', sha, 0)).toThrow(/^NOSCRIPT/);
  });

  it('keeps scripts from calling scripting commands and reports compile errors', () => {
    const { run } = clockedRedis();
    expect(() => run('EVAL', "return redis.call('EVAL', 'return 1', 0)", 0)).toThrow(/not allowed from script/);
    expect(() => run('EVAL', 'return +', 0)).toThrow(/^ERR Error compiling script/);
    expect(() => run('EVAL', 'return 1', 2, 'only-one')).toThrow(/greater than number of args/);
    expect(() => run('EVAL', 'return nosuch.field', 0)).toThrow(/^ERR Error running script/);
  });
});

describe('createEmbeddedBackend', () => {
  it('discards a whole MULTI/EXEC when a command cannot be queued, like EXECABORT', async () => {
    const backend = createEmbeddedBackend();
    await expect(backend.multiExec([['SET', 'k', 'v'], ['GET']])).rejects.toThrow(/^EXECABORT/);
    expect(await backend.exec(['EXISTS', 'k'])).toBe(0);
    expect(await backend.multiExec([['SET', 'k', 'v'], ['INCR', 'k'], ['GET', 'k']])).toEqual([
      { result: { status: 'OK' } },
      { error: 'ERR value is not an integer or out of range' },
      { result: 'v' },
    ]);
    await backend.close();
  });
});
