import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/db/cursor.ts';
import { archiveOutbox } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { BASE, call, currentPoll, goLive, nextLiveRound, OPERATOR, postJson, room, voterToken } from './helpers.ts';

/** Inputs that once reached a throw deep inside a handler: each is now a 4xx JSON error, or simply ignored. */
async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  expect(body.error?.message, JSON.stringify(body)).toEqual(expect.any(String));
  return { status: res.status, code: body.error?.code ?? '' };
}

/** A JSON body with a lone surrogate in it: only the `\uXXXX` escape can carry one (UTF-8 cannot). */
const withLoneSurrogate = (value: unknown) => JSON.stringify(value).replace('LONE', '\\ud83d');

describe('voter tokens are decoded without throwing', () => {
  const now = () => Math.floor(Date.now() / 1000);
  // base64 of a length that is 1 mod 4 cannot be decoded at all: atob throws.
  const bad = () => [`v1.AAAAAAAAAAAAAAAA.${now()}.AAAAA`, `v1.AAAAAAAAAAAAAAAA.${now()}.A`, `v1.AAAAAAAAAAAAAAAA.${now()}.${'A'.repeat(100_001)}`];

  it('GET /api/poll treats an undecodable token as no token', async () => {
    for (const token of bad()) {
      const res = await call('/api/poll', { headers: { 'x-voter-token': token } });
      expect(res.status, token.slice(0, 60)).toBe(200);
      expect(((await res.json()) as { myVote: unknown }).myVote).toBeNull();
    }
  });

  it('POST /api/vote refuses it with 401', async () => {
    await goLive();
    for (const token of bad()) {
      const res = await postJson('/api/vote', { option: 'A' }, { 'x-voter-token': token });
      expect(await errorOf(res), token.slice(0, 60)).toEqual({ status: 401, code: 'invalid-voter-token' });
    }
  });
});

describe('history cursors are checked before they reach Postgres', () => {
  const cursors: Array<[string, string]> = [
    ['before the earliest timestamp', encodeCursor({ t: '-999999999999999999', p: 'poll-01' })],
    ['after the latest timestamp', encodeCursor({ t: '999999999999999999', p: 'poll-01' })],
    ['a NUL byte in the poll id', encodeCursor({ t: '1700000000000000', p: 'poll\u0000x' })],
    ['a poll id no poll can have', encodeCursor({ t: '1700000000000000', p: "'; drop table results; --" })],
  ];
  it.each(cursors)('%s → 400 invalid-cursor', async (_name, cursor) => {
    const res = await call(`/api/polls?cursor=${cursor}`);
    expect(await errorOf(res)).toEqual({ status: 400, code: 'invalid-cursor' });
  });

  it('a cursor the API issued still pages', async () => {
    // Two archived rounds at least, so a page of one has a next one. The room archives from its alarm; here at once.
    for (let i = 0; i < 2; i++) await nextLiveRound();
    await runInDurableObject(room(), async (arena: Arena) => {
      const { store, config, name } = arena as unknown as { store: Parameters<typeof archiveOutbox>[0]; config: Parameters<typeof archiveOutbox>[1]; name: string };
      await archiveOutbox(store, config, name);
    });
    const page = async (query = '') => {
      const res = await call(`/api/polls?limit=1${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as { items: Array<{ pollId: string }>; nextCursor: string | null };
    };
    // A first page cached before those rounds were archived may have no next one.
    await caches.default.delete(`${BASE}/api/polls?limit=1`);
    const first = await page();
    expect(first.nextCursor, 'a second page').toEqual(expect.any(String));
    const second = await page(`&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.pollId).not.toBe(first.items[0]!.pollId);
  });
});

describe('lone surrogates never reach storage or a page', () => {
  it('the operator queue refuses a matchup with one, anywhere', async () => {
    const m = fightMatchup('Iron Mara', 'Zip Zero');
    const places = [
      { ...m, title: 'LONE vs' },
      { ...m, headlines: ['Tonight LONE'] },
      { ...m, options: [{ id: 'A', fighter: { ...m.options[0]!.fighter, name: 'LONE Mara' } }, m.options[1]] },
      { ...m, options: [m.options[0], { id: 'B', fighter: { ...m.options[1]!.fighter, moves: { punch: 'LONE', kick: 'k', special: 's' } } }] },
    ];
    for (const body of places) {
      const res = await call('/api/poll/queue', { method: 'POST', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: withLoneSurrogate(body) });
      expect(await errorOf(res), JSON.stringify(body).slice(0, 80)).toEqual({ status: 400, code: 'invalid-body' });
    }
  });

  it('a shout-out with one is refused', async () => {
    // From a voter, so nothing but the body can be what is refused.
    const headers = { 'content-type': 'application/json', 'x-voter-token': await voterToken(`lone-${crypto.randomUUID().slice(0, 8)}`) };
    const res = await call('/api/shoutout', { method: 'POST', headers, body: withLoneSurrogate({ user: 'ana', message: 'hi LONE' }) });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'invalid-body' });
  });

  it('a generate theme with one is refused', async () => {
    const res = await call('/api/poll/generate', { method: 'POST', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: withLoneSurrogate({ theme: 'LONE' }) });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'invalid-body' });
  });
});

describe('POST /api/poll/generate without a body', () => {
  // The seed's own call: `curl -X POST -H "authorization: Bearer …" /api/poll/generate`.
  it.each([
    ['no body at all', undefined],
    ['an empty body', ''],
    ['only whitespace', '  \n'],
  ])('%s means the defaults', async (_name, body) => {
    await goLive();
    const before = (await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: unknown[] };
    const res = await call('/api/poll/generate', { method: 'POST', headers: OPERATOR, ...(body === undefined ? {} : { body }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const out = (await res.json()) as { added: number; queue: unknown[] };
    expect(out.added).toBe(1);
    expect(out.queue.length).toBe(before.queue.length + 1);
  });

  it('a body that is there but not JSON is still refused', async () => {
    const res = await call('/api/poll/generate', { method: 'POST', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: '{"count":' });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'malformed-json' });
  });

  it('the live round and the queue are untouched by a refused request', async () => {
    await goLive();
    const queue = async () => (await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: unknown[] };
    const [before, queued] = [await currentPoll(), await queue()];
    const res = await call('/api/poll/generate', { method: 'POST', headers: { ...OPERATOR, 'content-type': 'application/json' }, body: '[]' });
    expect(await errorOf(res)).toEqual({ status: 400, code: 'invalid-body' });
    expect((await currentPoll()).round.pollId).toBe(before.round.pollId);
    expect(await queue()).toEqual(queued);
  });
});
