import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstashRest, type UpstashRestServer } from '@stream-fighter/devstack/standins/upstash-rest';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { readConfig } from '../env.ts';
import { keys, services } from '../services.ts';
import { markVoted, rateLimitBatch } from './admission.ts';

const TOKEN = 'admission-test-token';

function configFor(url: string, perVoter = 3) {
  return readConfig({
    OPERATOR_TOKEN: 'operator-token-0123456789',
    VOTER_SECRET: 'voter-secret-0123456789',
    RENDERER_TOKEN: 'renderer-token-0123456789',
    DATABASE_URL: 'postgres://u:p@db.example/app',
    UPSTASH_REDIS_REST_URL: url,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
    RATE_LIMIT_VOTER_PER_10S: String(perVoter),
    RATE_LIMIT_IP_PER_10S: '1000',
  });
}

describe('the Redis side of a vote batch', () => {
  let upstash: UpstashRestServer;
  const requests: string[] = [];

  beforeAll(async () => {
    // The embedded store behind the real Upstash REST protocol; every HTTP request it serves is noted.
    upstash = await startUpstashRest({
      token: TOKEN,
      port: await freePort(),
      log: (o) => {
        if (typeof o.msg === 'string' && o.msg.startsWith('upstash-rest: ')) requests.push(o.msg.slice('upstash-rest: '.length));
      },
    });
  });
  afterAll(() => upstash.close());

  it('checks both limits of a whole batch in one Upstash request, and refuses a voter over the limit', async () => {
    const config = configFor(upstash.url, 3);
    const run = `v${Date.now()}`;
    const batch = [
      ...Array.from({ length: 5 }, () => ({ voterId: `${run}-busy`, address: 'addr-198.51.100.1' })),
      ...Array.from({ length: 20 }, (_, i) => ({ voterId: `${run}-${i}`, address: 'addr-198.51.100.1' })),
    ];
    // The first batch on a fresh Redis also loads the limiters' Lua scripts (EVALSHA, NOSCRIPT, EVAL).
    await rateLimitBatch(config, 'main', [{ voterId: `${run}-warm`, address: 'addr-198.51.100.9' }]);
    requests.length = 0;
    const verdicts = await rateLimitBatch(config, 'main', batch);
    expect(requests).toEqual(['pipeline']);
    // The busy voter's first 3 pass, the next 2 are told when to come back; everyone else passes.
    expect(verdicts.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    for (const v of verdicts.slice(3, 5)) {
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.retryAfterSec).toBeGreaterThanOrEqual(1);
    }
    expect(verdicts.slice(5).every((v) => v.ok)).toBe(true);
  });

  it('writes the voted markers of a batch in one request', async () => {
    const config = configFor(upstash.url);
    const run = `m${Date.now()}`;
    requests.length = 0;
    await markVoted(config, 'main', [
      { pollId: 'p_1', voterId: `${run}-a`, option: 'A' },
      { pollId: 'p_1', voterId: `${run}-b`, option: 'B' },
    ]);
    expect(requests).toEqual(['pipeline']);
    const { redis } = services(config);
    expect(await redis.get(keys.voted('main', 'p_1', `${run}-b`))).toBe('B');
  });
});

describe('when Redis is out of reach, votes still go through (the room counts them exactly once without it)', () => {
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    // Accepts the connection and never answers.
    silent = createServer(() => {});
    const port = await freePort();
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('lets the batch through after the timeout, and says so in the log', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const started = Date.now();
    const verdicts = await rateLimitBatch(configFor(silentUrl), 'main', [{ voterId: 'v1', address: 'addr-203.0.113.1' }, { voterId: 'v2', address: 'addr-203.0.113.1' }], 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(verdicts).toEqual([{ ok: true }, { ok: true }]);
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('vote.rate-limit-unavailable');
    warn.mockRestore();
  });

  it('lets the batch through when the connection is refused', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const closedUrl = `http://127.0.0.1:${await freePort()}`;
    const verdicts = await rateLimitBatch(configFor(closedUrl), 'main', [{ voterId: 'v1', address: 'addr-203.0.113.1' }]);
    expect(verdicts).toEqual([{ ok: true }]);
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('vote.rate-limit-unavailable');
    warn.mockRestore();
  });
});
