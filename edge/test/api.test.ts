import { describe, expect, it } from 'vitest';
import { app } from '../src/app.ts';
import { call, currentPoll, goLive, OPERATOR, postJson, vote, voterToken } from './helpers.ts';

describe('API routes', () => {
  it('GET /api/health reports the room, Redis and Postgres', async () => {
    const res = await call('/api/health');
    const body = (await res.json()) as { ok: boolean; room: { ok: boolean }; redis: { ok: boolean }; postgres: { ok: boolean } };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: true, room: { ok: true }, redis: { ok: true }, postgres: { ok: true } });
  });

  it('GET /api/poll gives the match, tallies, HP, time left, seq and my vote', async () => {
    await goLive();
    const t = await voterToken(`me-${crypto.randomUUID().slice(0, 8)}`);
    expect((await vote('B', t)).status).toBe(200);
    const res = await call('/api/poll', { headers: { 'x-voter-token': t } });
    expect(res.status).toBe(200);
    const p = (await res.json()) as { type: string; v: number; seq: number; timeLeftMs: number; myVote: string; round: { matchup: { options: unknown[] } } };
    expect(p).toMatchObject({ type: 'poll', v: 1, myVote: 'B' });
    expect(p.timeLeftMs).toBeGreaterThan(0);
    expect(p.round.matchup.options.length).toBeGreaterThanOrEqual(2);
  });

  it('GET /api/openapi.json documents every route', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/vote', '/api/poll', '/api/health', '/api/polls', '/api/polls/{id}', '/api/stream', '/api/shoutout', '/api/poll/generate', '/api/poll/rotate']) {
      expect(doc.paths).toHaveProperty([p]);
    }
    // Every route the app serves is in the document, with its method: the paths are written by hand, the routes
    // are not, so this is what keeps them from drifting apart.
    const documented = doc.paths as Record<string, Record<string, unknown>>;
    const served = app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*') && r.path !== '/api/openapi.json');
    expect(served.length).toBeGreaterThan(20);
    const missing = served
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') }))
      .filter((r) => documented[r.path]?.[r.method] === undefined)
      .map((r) => `${r.method} ${r.path}`);
    expect(missing, 'routes the app serves that /api/openapi.json does not document').toEqual([]);
    // The voter id a route accepts is what the document says: a session id or a chat account.
    const voterPaths = doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string; schema: { anyOf?: Array<{ pattern: string }> } }> }>>;
    for (const [path, method] of [['/api/voters/{id}', 'delete'], ['/api/voters/{id}/ban', 'post'], ['/api/voters/{id}/ban', 'delete']] as const) {
      const patterns = voterPaths[path]?.[method]?.parameters?.find((x) => x.name === 'id')?.schema.anyOf?.map((s) => new RegExp(s.pattern));
      expect(patterns, `${method} ${path}`).toHaveLength(2);
      expect(['AAAAAAAAAAAAAAAA', 'twitch:123'].map((id) => patterns!.some((re) => re.test(id))), `${method} ${path}`).toEqual([true, true]);
    }
  });

  it('operator routes refuse a missing or wrong token', async () => {
    for (const [method, path] of [['POST', '/api/poll/rotate'], ['POST', '/api/poll/generate'], ['GET', '/api/stream'], ['POST', '/api/stream'], ['DELETE', '/api/stream?streamKey=x'], ['GET', '/api/poll/queue'], ['GET', '/api/shoutouts']] as const) {
      const none = await call(path, { method });
      expect(none.status, `${method} ${path}`).toBe(401);
      const wrong = await call(path, { method, headers: { authorization: 'Bearer wrong-token-wrong-token' } });
      expect(wrong.status, `${method} ${path}`).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      // A malformed header (another scheme, a token with spaces) is the same JSON 401, with the Bearer challenge.
      for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer two words', 'Bearer']) {
        const bad = await call(path, { method, headers: { authorization } });
        expect(bad.status, `${method} ${path} ${authorization}`).toBe(401);
        expect(bad.headers.get('www-authenticate'), authorization).toMatch(/^Bearer /);
        expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
    }
  });

  it('POST /api/poll/rotate ends the round now', async () => {
    const live = await goLive();
    const res = await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    expect(res.status).toBe(200);
    const p = await currentPoll();
    expect(p.round.pollId).toBe(live.pollId);
    expect(p.round.phase).toBe('finished');
    expect((p.round.outcome as { reason: string }).reason).toBe('rotate');
  });

  it('POST /api/poll/generate fills the queue with built-in matchups when no AI is configured', async () => {
    const before = (await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: unknown[] };
    const res = await postJson('/api/poll/generate', { count: 2 }, OPERATOR);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { source: string; added: number; queue: unknown[] };
    expect(body.source).toBe('builtin');
    expect(body.added).toBe(2);
    expect(body.queue.length).toBe(before.queue.length + 2);
  });

  it('GET /api/polls paginates and rejects a bad cursor; GET /api/polls/:id 404s for an unknown id', async () => {
    const res = await call('/api/polls?limit=2');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: unknown[]; nextCursor: string | null };
    expect(Array.isArray(page.items)).toBe(true);
    expect((await call('/api/polls?cursor=%%%garbage')).status).toBe(400);
    expect((await call('/api/polls?limit=0')).status).toBe(400);
    expect((await call('/api/polls/p_nope')).status).toBe(404);
  });

  it('POST /api/shoutout takes a message from a voter, filters links and rate-limits per address', async () => {
    const voter = { 'x-voter-token': await voterToken(`shout-${crypto.randomUUID().slice(0, 8)}`) };
    const ok = await postJson('/api/shoutout', { user: 'Rosa', message: 'Go Taco!' }, { ...voter, 'cf-connecting-ip': '203.0.113.7' });
    expect(ok.status).toBe(202); // waits for an operator (edge/test/shoutout.test.ts)
    const link = await postJson('/api/shoutout', { user: 'Spam', message: 'visit https://spam.example' }, { ...voter, 'cf-connecting-ip': '203.0.113.8' });
    expect(link.status).toBe(422);
    const long = await postJson('/api/shoutout', { user: 'Rosa', message: 'x'.repeat(141) }, { ...voter, 'cf-connecting-ip': '203.0.113.9' });
    expect(long.status).toBe(400);
    await postJson('/api/shoutout', { user: 'Rosa', message: 'again' }, { ...voter, 'cf-connecting-ip': '203.0.113.7' });
    const third = await postJson('/api/shoutout', { user: 'Rosa', message: 'and again' }, { ...voter, 'cf-connecting-ip': '203.0.113.7' });
    expect(third.status).toBe(429);
    const list = (await (await call('/api/shoutouts', { headers: OPERATOR })).json()) as { shoutouts: Array<{ id: string; message: string }> };
    const mine = list.shoutouts.find((s) => s.message === 'Go Taco!');
    expect(mine).toBeDefined();
    const hide = await call(`/api/shoutouts/${mine!.id}/hide`, { method: 'POST', headers: OPERATOR });
    expect(hide.status).toBe(200);
  });

  it('CORS answers only the configured site origin', async () => {
    const allowed = await call('/api/poll', { method: 'OPTIONS', headers: { origin: 'https://vote.example', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://vote.example');
    const other = await call('/api/poll', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await call('/api/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });
});
