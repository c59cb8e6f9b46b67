/**
 * Cheap public reads: /api/polls and /api/leaderboard answered from the Workers Cache API for PUBLIC_CACHE_SECONDS
 * (5 here), /api/health from the isolate's last check, and the operator's deep check always fresh.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/env.ts';
import { keys, services } from '../src/services.ts';
import { BASE, call, OPERATOR } from './helpers.ts';

const redis = () => services(readConfig(env)).redis;
const board = async (headers: Record<string, string> = {}) => {
  const res = await call('/api/leaderboard', { headers });
  return { res, body: (await res.json()) as { items: Array<{ fighter: string; wins: number }> } };
};

describe('the leaderboard at the edge', () => {
  it('serves a second read within the window from the cache, not Redis, and fresh data after it', async () => {
    await caches.default.delete(`${BASE}/api/leaderboard`);
    const first = await board();
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('cache-control')).toBe('public, max-age=5');
    expect(first.res.headers.get('age')).toBeNull();

    // A new leader in Redis: the cached answer does not know it yet.
    const leader = `Cachey ${crypto.randomUUID().slice(0, 8)}`;
    await redis().zincrby(keys.leaderboard, 1_000_000, leader);
    const second = await board();
    expect(second.res.headers.get('age'), 'a hit carries its age').toMatch(/^\d+$/);
    expect(second.body).toEqual(first.body);

    await expect
      .poll(async () => (await board()).body.items[0]?.fighter, { timeout: 10_000, interval: 500, message: 'the new leader once the 5 s window is over' })
      .toBe(leader);
    await redis().zrem(keys.leaderboard, leader);
  });

  it('never hands one caller another caller\'s CORS headers', async () => {
    await caches.default.delete(`${BASE}/api/leaderboard`);
    const fromSite = await board({ origin: 'https://vote.example' });
    expect(fromSite.res.headers.get('access-control-allow-origin')).toBe('https://vote.example');
    const plain = await board();
    expect(plain.res.headers.get('age')).not.toBeNull();
    expect(plain.res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the poll history at the edge', () => {
  it('is cached per page, whatever junk the query carries, and a bad cursor is still a 400', async () => {
    await caches.default.delete(`${BASE}/api/polls?limit=3`);
    const first = await call('/api/polls?limit=3');
    expect(first.status).toBe(200);
    expect(first.headers.get('age')).toBeNull();
    const body = await first.text();
    for (const path of ['/api/polls?limit=3', '/api/polls?limit=3&bust=1', '/api/polls?bust=2&limit=03']) {
      const again = await call(path);
      expect(again.headers.get('age'), path).toMatch(/^\d+$/);
      expect(await again.text(), path).toBe(body);
    }
    // Another page is another key.
    expect((await call('/api/polls?limit=4')).headers.get('age')).toBeNull();
    expect((await call('/api/polls?cursor=%%%garbage')).status).toBe(400);
    expect((await call('/api/polls?cursor=%%%garbage')).status).toBe(400);
  });
});

describe('/api/health', () => {
  type Health = { ok: boolean; checkedAt: number; room: { ok: boolean }; redis: { ok: boolean }; postgres: { ok: boolean } };
  const health = async (path = '/api/health', headers: Record<string, string> = {}) => {
    const res = await call(path, { headers });
    return { res, body: (await res.json()) as Health };
  };

  it('answers the public from the last check for a few seconds', async () => {
    const a = await health();
    expect(a.res.status).toBe(200);
    expect(a.body).toMatchObject({ ok: true, room: { ok: true }, redis: { ok: true }, postgres: { ok: true } });
    const b = await health();
    expect(b.body.checkedAt).toBe(a.body.checkedAt);
    expect(b.res.headers.get('age')).toMatch(/^[0-5]$/);
    await expect
      .poll(async () => (await health()).body.checkedAt, { timeout: 10_000, interval: 500, message: 'a new check once the 5 s window is over' })
      .toBeGreaterThan(a.body.checkedAt);
  });

  it('keeps the deep check for the operator, fresh every time', async () => {
    const shared = await health();
    expect((await health('/api/health?deep=1')).res.status).toBe(401);
    expect((await health('/api/health?deep=1', { authorization: 'Bearer wrong-token-0123456789' })).res.status).toBe(401);
    const bad = await call('/api/health?deep=yes', { headers: OPERATOR });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid-query' } });
    const deep = await health('/api/health?deep=1', OPERATOR);
    expect(deep.res.status).toBe(200);
    expect(deep.res.headers.get('age')).toBeNull();
    expect(deep.body.checkedAt).toBeGreaterThan(shared.body.checkedAt);
    const again = await health('/api/health?deep=1', OPERATOR);
    expect(again.body.checkedAt).toBeGreaterThan(deep.body.checkedAt);
  });
});
