/**
 * GET /api/leaderboard?kind=fighters|viewers through the Worker: the viewers' points after a settled round (two
 * winners and a loser, the pseudonyms GET /api/me gives, a banned voter left out), the season's fighters by
 * rating as Postgres has them, an unknown kind refused with a JSON 400, and no kind answered as before.
 * Fighter names and voters are this run's own: other files bet and archive fights at the same time.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { FighterLeaderboard, LEADERBOARD_SIZE, settle, ViewerLeaderboard, type MeResponse, type OptionId } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { listFighters } from '../src/db/fighters.ts';
import { readConfig } from '../src/env.ts';
import { archiveOutbox } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { services } from '../src/services.ts';
import { bet, goLiveNow, introRound, me } from './bet-steps.ts';
import { BASE, call, currentPoll, OPERATOR, postJson, room, vote, voterToken } from './helpers.ts';

type Inside = { store: RoomStorage; config: Parameters<typeof archiveOutbox>[1]; name: string };

const suffix = () => crypto.randomUUID().slice(0, 8);

const ids = new Map<string, string>();
async function viewer(): Promise<string> {
  const id = `lb-${suffix()}${suffix()}`;
  const token = await voterToken(id);
  ids.set(token, id);
  return token;
}

/** A read past the edge cache (the cached answer is deleted first). */
async function fresh(path: string): Promise<{ status: number; body: unknown; type: string | null; cache: string | null }> {
  await caches.default.delete(`${BASE}${path}`);
  const res = await call(path);
  return { status: res.status, body: await res.json(), type: res.headers.get('content-type'), cache: res.headers.get('cache-control') };
}

async function viewersBoard(): Promise<ViewerLeaderboard> {
  const r = await fresh('/api/leaderboard?kind=viewers');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.cache).toBe('public, max-age=5');
  return ViewerLeaderboard.parse(r.body);
}

describe('GET /api/leaderboard', () => {
  it('kind=viewers: after a settled round, the winners above the loser, under the names GET /api/me gives; a banned voter left out', async () => {
    const s = suffix();
    const round = await introRound({ matchup: fightMatchup(`Board Ace ${s}`, `Board Bee ${s}`) });
    const stakes: Array<[OptionId, number]> = [['A', 900], ['A', 450], ['B', 700]];
    const tokens = await Promise.all(stakes.map(() => viewer()));
    for (const [i, [option, points]] of stakes.entries()) expect((await bet(tokens[i]!, { pollId: round.pollId, option, points })).status).toBe(200);
    const onlooker = await viewer();
    await goLiveNow();
    // One vote for A is a hit on B: A has more HP when the operator ends the round, so A wins.
    expect((await vote('A', onlooker, { pollId: round.pollId })).status).toBe(200);
    await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    expect((await currentPoll()).round.outcome).toMatchObject({ winner: 'A' });

    const expected = settle(stakes.map(([option, stake], i) => ({ bettor: ids.get(tokens[i]!)!, option, stake })), 'A');
    if (expected.kind !== 'paid') throw new Error(`expected a paid settlement, got ${expected.kind}`);
    const balances = expected.payouts.map((p) => 1000 - p.stake + p.payout);
    expect(balances[0]).toBeGreaterThan(balances[1]!);
    expect(balances[1]).toBeGreaterThan(balances[2]!);
    const mine = await Promise.all(tokens.map((t) => me(t)));
    expect(mine.map((m) => m.balance)).toEqual(balances);
    expect(new Set(mine.map((m) => m.name)).size).toBe(3);

    const board = await viewersBoard();
    expect(board.kind).toBe('viewers');
    expect(board.items.length).toBeLessThanOrEqual(LEADERBOARD_SIZE);
    for (const [i, row] of board.items.entries()) {
      // Best first; equal balances share the rank of the first of them.
      const above = board.items[i - 1];
      if (above) expect(row.balance).toBeLessThanOrEqual(above.balance);
      expect(row.rank).toBe(above && above.balance === row.balance ? above.rank : i + 1);
    }
    const rowOf = (m: MeResponse) => board.items.findIndex((r) => r.name === m.name);
    const at = mine.map(rowOf);
    // Other files' voters may be on the board too: ours are on it with their balances, in their order.
    expect(at[0]).toBeGreaterThanOrEqual(0);
    expect(board.items[at[0]!]!.balance).toBe(balances[0]);
    expect(at[1]).toBeGreaterThan(at[0]!);
    expect(board.items[at[1]!]!.balance).toBe(balances[1]);
    if (at[2] !== -1) expect(at[2]).toBeGreaterThan(at[1]!);
    // The voter who only voted never bet: no row, so not on the board.
    expect(board.items.map((r) => r.name)).not.toContain((await me(onlooker)).name);
    // Pseudonyms say nothing of the voter id.
    for (const t of tokens) expect(JSON.stringify(board)).not.toContain(ids.get(t)!);

    // Banned by an operator: off the board at the next read.
    const banned = await postJson(`/api/voters/${ids.get(tokens[0]!)}/ban`, {}, OPERATOR);
    expect(banned.status, await banned.text()).toBe(200);
    const after = await viewersBoard();
    expect(after.items.map((r) => r.name)).not.toContain(mine[0]!.name);
    expect(after.items.map((r) => r.name)).toContain(mine[1]!.name);
  });

  it('kind=fighters: the season\'s fighters by rating, as Postgres has them, at most 20', async () => {
    // Two fights of this run's own through the archiver (as fighters.test.ts does), so the board has fighters.
    const s = suffix();
    await currentPoll();
    await runInDurableObject(room(), async (arena: Arena) => {
      const { store, config, name } = arena as unknown as Inside;
      for (let i = 0; i < 2; i++) store.addOutbox(makeResult(`lb-${s}-${i}`, { names: [`Board Champ ${s}`, `Board Chump ${s} ${i}`], winner: 'A', finishedAt: Date.now() + i }));
      await archiveOutbox(store, config, name);
      expect(store.outbox().filter((e) => e.pollId.startsWith(`lb-${s}`)), 'the two fights archived').toEqual([]);
    });

    const db = services(readConfig(env)).db;
    // Other files record fights at the same time: read both until they agree (they do as soon as nobody writes).
    const board = await vi.waitFor(
      async () => {
        const r = await fresh('/api/leaderboard?kind=fighters');
        if (r.status !== 200) throw new Error(`GET /api/leaderboard?kind=fighters: ${r.status} ${JSON.stringify(r.body)}`);
        const got = FighterLeaderboard.parse(r.body);
        const want = (await listFighters(db, { sort: 'rating', limit: LEADERBOARD_SIZE })).map(({ id, name, tier, rating, wins, losses, ties }) => ({ id, name, tier, rating, wins, losses, ties }));
        if (JSON.stringify(got.items) !== JSON.stringify(want)) throw new Error(`the fighters' board and Postgres's top ${LEADERBOARD_SIZE} by rating did not agree within 10 s`);
        return got;
      },
      { timeout: 10_000, interval: 300 },
    );
    expect(board.kind).toBe('fighters');
    expect(board.items.length).toBeGreaterThan(0);
    expect(board.items.length).toBeLessThanOrEqual(LEADERBOARD_SIZE);
    for (const [i, f] of board.items.entries()) {
      expect(Object.keys(f).sort()).toEqual(['id', 'name', 'tier', 'rating', 'wins', 'losses', 'ties'].sort());
      if (i > 0) expect(f.rating).toBeLessThanOrEqual(board.items[i - 1]!.rating);
    }
  });

  it('an unknown kind is a JSON 400 naming the problem; no kind is the old answer, fighters by wins', async () => {
    for (const kind of ['bogus', '', 'VIEWERS']) {
      const r = await fresh(`/api/leaderboard?kind=${kind}`);
      expect(r.status, kind).toBe(400);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.body).toMatchObject({ error: { code: 'invalid-query', message: expect.stringContaining('kind must be one of fighters, viewers') } });
      expect((r.body as { error: { message: string } }).error.message).toContain(JSON.stringify(kind));
    }
    const old = await fresh('/api/leaderboard');
    expect(old.status).toBe(200);
    expect(Object.keys(old.body as object)).toEqual(['items']);
    for (const item of (old.body as { items: object[] }).items) expect(Object.keys(item)).toEqual(['fighter', 'wins']);
  });

  it('is in the OpenAPI document with its kinds and both answers', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as { paths: Record<string, { get: { parameters: Array<{ name: string; schema: { enum?: string[] } }>; responses: Record<string, unknown> } }> };
    const op = doc.paths['/api/leaderboard']!.get;
    expect(op.parameters.find((p) => p.name === 'kind')?.schema.enum).toEqual(['fighters', 'viewers']);
    const text = JSON.stringify(op.responses);
    for (const want of ['"fighters"', '"viewers"', '"balance"', '"rating"', '"wins"']) expect(text).toContain(want);
    expect(Object.keys(op.responses)).toEqual(['200', '400']);
  });
});
