/**
 * The local edge's Cache API service (edge-cache.js), driven in Node with the requests workerd sends it: a
 * serialised response PUT, a GET that answers HIT or MISS, PURGE. The whole path through workerd is proved by
 * the local stack's end-to-end test (edge/e2e/public-reads.e2e.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { cache, lifetimeMs, parseHttpResponse } from './edge-cache.js';

const serialise = (status: string, headers: Record<string, string>, body: string | Uint8Array) =>
  new Blob([`HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, body]);
const put = (url: string, status: string, headers: Record<string, string>, body: string | Uint8Array = '', namespace?: string) =>
  cache.fetch(new Request(url, { method: 'PUT', body: serialise(status, headers, body), headers: namespace ? { 'cf-cache-namespace': namespace } : {} }));
const match = (url: string, namespace?: string) => cache.fetch(new Request(url, { headers: namespace ? { 'cf-cache-namespace': namespace } : {} }));

describe('the local Cache API service', () => {
  it('stores a response for its max-age and answers HIT with its Age, then MISS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const url = `http://edge/a-${Math.random()}`;
      expect((await match(url)).headers.get('cf-cache-status')).toBe('MISS');
      expect((await put(url, '200 OK', { 'content-type': 'application/json', 'cache-control': 'public, max-age=5' }, '{"x":1}')).status).toBe(204);
      vi.advanceTimersByTime(3_000);
      const hit = await match(url);
      expect(hit.status).toBe(200);
      expect(Object.fromEntries(hit.headers)).toMatchObject({ 'cf-cache-status': 'HIT', age: '3', 'content-type': 'application/json' });
      expect(await hit.text()).toBe('{"x":1}');
      vi.advanceTimersByTime(2_000);
      expect((await match(url)).headers.get('cf-cache-status')).toBe('MISS');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses what a shared cache may not keep (413), and keeps named caches apart', async () => {
    const url = `http://edge/b-${Math.random()}`;
    const refused: Array<Record<string, string>> = [{ 'cache-control': 'no-store, max-age=60' }, { 'cache-control': 'private, max-age=60' }, { 'cache-control': 'max-age=60', 'set-cookie': 'a=b' }, {}];
    for (const headers of refused) {
      expect((await put(url, '200 OK', headers)).status, JSON.stringify(headers)).toBe(413);
    }
    expect((await put(url, '200 OK', { 'cache-control': 'max-age=60' }, new Uint8Array(4 * 1024 * 1024 + 1))).status).toBe(413);
    expect((await put(url, '200 OK', { 'cache-control': 's-maxage=60' }, 'named', 'mine')).status).toBe(204);
    expect((await match(url)).headers.get('cf-cache-status')).toBe('MISS');
    expect(await (await match(url, 'mine')).text()).toBe('named');
  });

  it('deletes on PURGE: 200 when it was there, 404 when not', async () => {
    const url = `http://edge/c-${Math.random()}`;
    await put(url, '404 Not Found', { 'cache-control': 'max-age=60' }, 'gone');
    expect((await match(url)).status).toBe(404);
    expect((await cache.fetch(new Request(url, { method: 'PURGE' }))).status).toBe(200);
    expect((await cache.fetch(new Request(url, { method: 'PURGE' }))).status).toBe(404);
    expect((await match(url)).headers.get('cf-cache-status')).toBe('MISS');
  });

  it('reads lifetimes and serialised responses as a shared cache does', () => {
    expect(lifetimeMs([['Cache-Control', 'public, max-age=5']])).toBe(5_000);
    expect(lifetimeMs([['cache-control', 'max-age=5, s-maxage=30']])).toBe(30_000);
    expect(lifetimeMs([['cache-control', 'max-age=abc']])).toBe(0);
    expect(lifetimeMs([['expires', new Date(Date.now() + 60_000).toUTCString()]])).toBeGreaterThan(58_000);
    expect(parseHttpResponse(new TextEncoder().encode('HTTP/1.1 200 OK\r\nA: b: c\r\n\r\nbody\r\n\r\nmore'))).toEqual({
      status: 200,
      headers: [['A', 'b: c']],
      body: new TextEncoder().encode('body\r\n\r\nmore'),
    });
    expect(parseHttpResponse(new TextEncoder().encode('no status line\r\n\r\n'))).toBeNull();
    expect(parseHttpResponse(new TextEncoder().encode('HTTP/1.1 200 OK\r\n'))).toBeNull();
  });
});
