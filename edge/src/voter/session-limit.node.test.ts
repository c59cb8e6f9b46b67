import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startUpstashRest, type UpstashRestServer } from '@stream-fighter/devstack/standins/upstash-rest';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { readConfig } from '../env.ts';
import { newSessionAllowed } from './session-limit.ts';

const TOKEN = 'session-limit-token';
const configFor = (url: string) =>
  readConfig({
    OPERATOR_TOKEN: 'operator-token-0123456789',
    VOTER_SECRET: 'voter-secret-0123456789',
    RENDERER_TOKEN: 'renderer-token-0123456789',
    DATABASE_URL: 'postgres://u:p@db.example/app',
    UPSTASH_REDIS_REST_URL: url,
    UPSTASH_REDIS_REST_TOKEN: TOKEN,
    SESSIONS_PER_ADDRESS_PER_HOUR: '3',
  });
const defer = () => {};

describe('new sessions per address', () => {
  let upstash: UpstashRestServer;
  beforeAll(async () => {
    upstash = await startUpstashRest({ token: TOKEN, port: await freePort(), log: () => {} });
  });
  afterAll(() => upstash.close());

  it('counts each kind of proof apart: free tickets cannot use up what solved challenges may mint', async () => {
    const config = configFor(upstash.url);
    const address = `addr-${Date.now()}`;
    const tickets = [];
    for (let i = 0; i < 5; i++) tickets.push((await newSessionAllowed(config, `f-ticket${i}xxxxxxxxxxxxxxx`, address, defer)).ok);
    expect(tickets).toEqual([true, true, true, false, false]);
    const solved = [];
    for (let i = 0; i < 4; i++) solved.push((await newSessionAllowed(config, `p-solved${i}xxxxxxxxxxxxxxx`, address, defer)).ok);
    expect(solved).toEqual([true, true, true, false]);
  });
});

describe('when the limiter\'s Redis fails, a session goes through with a warning', () => {
  let failing: Server;
  let failingUrl: string;
  beforeAll(async () => {
    // Answers every Upstash request with a 500, as a broken Redis service would.
    failing = createServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}'));
    const port = await freePort();
    await new Promise<void>((r) => failing.listen(port, '127.0.0.1', r));
    failingUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise((r) => failing.close(r)));

  it.each([
    ['answers 500', async () => failingUrl],
    ['refuses the connection', async () => `http://127.0.0.1:${await freePort()}`],
  ])('Redis %s', async (_name, url) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const verdict = await newSessionAllowed(configFor(await url()), 'p-voterxxxxxxxxxxxxxxxxxx', 'addr', defer);
    expect(verdict).toEqual({ ok: true });
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain('rate-limit.unavailable');
    warn.mockRestore();
  });
});
