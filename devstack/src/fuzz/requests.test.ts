import { ChatSourceId, ChatSourcePause, GenerateRequest, Matchup, ScreenCreate, ScreenId, ScreenUpdate, ShoutoutRequest, StreamStartRequest, VoteRequest } from '@stream-fighter/core';
import { describe, expect, it } from 'vitest';
import { familyOf } from './judge.ts';
import { batch } from './run.ts';
import type { FuzzContext, FuzzRequest } from './requests.ts';

const TOKEN = 'fuzz-operator-token-0123456789';
const ctx: FuzzContext = { operatorToken: TOKEN, nowSec: 1_800_000_000, room: 'main', sitePage: true };
const requests = [0, 1, 2, 3].flatMap((b) => batch(7, b, 500, ctx));
const dec = new TextDecoder();

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const header = (r: FuzzRequest, name: string) => r.headers.filter(([k]) => k === name).map(([, v]) => v);
const route = (r: FuzzRequest) => r.path.split('?')[0]!;
/** The body as the edge would read it: JSON, or a form's fields. */
function parsed(r: FuzzRequest): unknown {
  const text = dec.decode(r.body ?? new Uint8Array()).replace(/^\ufeff/, '');
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

describe('fuzz requests', () => {
  it('are the same for the same seed', () => {
    const again = batch(7, 3, 500, ctx);
    expect(again.map((r) => [r.method, r.path, r.headers, r.body && [...r.body]])).toEqual(requests.slice(1500, 2000).map((r) => [r.method, r.path, r.headers, r.body && [...r.body]]));
    expect(batch(8, 3, 50, ctx).map((r) => r.path)).not.toEqual(requests.slice(1500, 1550).map((r) => r.path));
  });

  it('cover every route of the edge', () => {
    const seen = new Set(requests.map((r) => `${r.method.toUpperCase()} ${route(r)}`));
    for (const want of ['GET /api/health', 'GET /api/poll', 'GET /api/polls', 'GET /api/leaderboard', 'GET /api/openapi.json', 'GET /api/challenge', 'POST /api/vote', 'POST /api/shoutout', 'POST /api/poll/generate', 'POST /api/poll/rotate', 'GET /api/poll/queue', 'POST /api/poll/queue', 'GET /api/stream', 'POST /api/stream', 'DELETE /api/stream', 'GET /api/shoutouts', 'GET /', 'HEAD /', `GET /parties/arena/main`, 'POST /api/shoutouts/settings', 'GET /api/screens', 'POST /api/screens', 'POST /api/chat/votes', 'POST /api/chat/status', 'GET /api/chat/sources']) {
      expect(seen, want).toContain(want);
    }
    for (const prefix of ['DELETE /api/poll/queue/', 'GET /api/polls/', 'POST /api/shoutouts/', 'DELETE /api/voters/', 'GET /parties/arena/', 'GET /api/screens/', 'PUT /api/screens/', 'DELETE /api/screens/', 'PUT /api/chat/sources/']) expect([...seen].some((s) => s.startsWith(prefix) && s !== prefix), prefix).toBe(true);
    const families = new Set(requests.map((r) => familyOf(r.kind)));
    expect(families.size).toBeGreaterThan(40);
    expect(requests.some((r) => r.chunks > 0)).toBe(true);
    expect(requests.some((r) => (r.body?.length ?? 0) > 64 * 1024)).toBe(true);
    expect(requests.some((r) => /\\ud[89ab]/i.test(dec.decode(r.body ?? new Uint8Array())))).toBe(true);
    expect(requests.some((r) => dec.decode(r.body ?? new Uint8Array()).includes('"__proto__"'))).toBe(true);
  });

  it('use the operator token only on reads and with bodies its routes refuse', () => {
    const authorised = requests.filter((r) => header(r, 'authorization').includes(`Bearer ${TOKEN}`));
    expect(authorised.length).toBeGreaterThan(200);
    for (const r of authorised) {
      const what = `${r.method} ${r.path.slice(0, 80)} ${dec.decode(r.body ?? new Uint8Array()).slice(0, 80)}`;
      const body = parsed(r);
      const p = route(r);
      if (r.method === 'GET') expect(['/api/poll/queue', '/api/stream', '/api/shoutouts', '/api/shoutouts/settings', '/api/screens', '/api/chat/sources'].includes(p) || p.startsWith('/api/screens/'), what).toBe(true);
      else if (p === '/api/poll/generate') expect(r.body?.length && GenerateRequest.safeParse(body).success, what).toBeFalsy();
      else if (p === '/api/poll/queue') expect(Matchup.safeParse(body).success, what).toBe(false);
      else if (p === '/api/stream' && r.method === 'POST') expect(StreamStartRequest.safeParse(body).success, what).toBe(false);
      else if (p === '/api/stream' && r.method === 'DELETE') {
        const key = new URL(r.path, 'http://x').searchParams.get('streamKey');
        expect(key === null || key === 'fuzz-absent-stream' || !/^[A-Za-z0-9_.-]+$/.test(key), what).toBe(true);
      } else if (p.startsWith('/api/poll/queue/')) {
        const raw = p.slice('/api/poll/queue/'.length);
        const n = Number(URL.canParse(`http://x/${raw}`) ? safeDecode(raw) : raw);
        expect(Number.isInteger(n) && n > 0 && n < 1e12, what).toBe(false);
      } else if (p.startsWith('/api/shoutouts/')) expect(p, what).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      else if (p === '/api/screens') expect(ScreenCreate.safeParse(body).success, what).toBe(false);
      else if (p.startsWith('/api/screens/') && r.method === 'PUT') expect(ScreenUpdate.safeParse(body).success, what).toBe(false);
      else if (p.startsWith('/api/screens/') && r.method === 'DELETE') {
        // Only the built-in ones (refused) or ids no screen has.
        const id = safeDecode(p.slice('/api/screens/'.length));
        expect(['fight', 'bars', 'fuzz-absent-screen'].includes(id) || !ScreenId.safeParse(id).success, what).toBe(true);
      } else if (p.startsWith('/api/chat/sources/')) {
        const source = safeDecode(p.slice('/api/chat/sources/'.length));
        expect(ChatSourceId.safeParse(source).success && ChatSourcePause.safeParse(body).success, what).toBe(false);
      }
      else throw new Error(`operator token on ${what}`);
    }
  });

  it('never send a vote or a shout-out that could count', () => {
    for (const r of requests.filter((q) => q.method === 'POST' && route(q) === '/api/vote')) {
      // Whatever else is in it, a body with a known option might count (the form schema ignores unknown fields).
      const option = (parsed(r) as { option?: unknown } | null)?.option;
      if (!VoteRequest.shape.option.safeParse(option).success) continue;
      // Could be a vote: it must carry a session, and every session it carries is not one.
      const tokens = [...header(r, 'x-voter-token'), ...header(r, 'cookie').flatMap((c) => [...c.matchAll(/sf_voter=([^;,]*)/g)].map((m) => m[1]!))];
      expect(tokens.length, dec.decode(r.body!)).toBeGreaterThan(0);
      for (const t of tokens) expect(t).not.toBe('');
    }
    // The chat bridge's routes never see a credential that works: no bridge token, nor the operator's own.
    for (const r of requests.filter((q) => route(q).startsWith('/api/chat/') && !route(q).startsWith('/api/chat/sources'))) {
      expect(header(r, 'authorization'), r.kind).not.toContain(`Bearer ${TOKEN}`);
    }
    for (const r of requests.filter((q) => q.method === 'POST' && route(q) === '/api/shoutout')) {
      expect(ShoutoutRequest.safeParse(parsed(r)).success, dec.decode(r.body ?? new Uint8Array()).slice(0, 100)).toBe(false);
    }
  });
});
