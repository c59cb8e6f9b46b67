/**
 * GET /api/fighters and GET /api/fighters/:id after rounds are archived: a fight finished in the room, and a run
 * of fights through the archiver, show on the list and on the fighter's page with the right record, rating and
 * tier. Fighter names are this run's own: other files archive fights into the same database at the same time.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { ApiError, FighterList, FighterPage, tierForRank } from '@stream-fighter/core';
import type { FighterSummary } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { fighterId } from '@stream-fighter/core/season/record';
import { describe, expect, it, vi } from 'vitest';
import { archiveOutbox } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { BASE, call, currentPoll, nextLiveRound, OPERATOR, room, vote, voterToken } from './helpers.ts';

type Inside = { store: RoomStorage; config: Parameters<typeof archiveOutbox>[1]; name: string };

const suffix = () => crypto.randomUUID().slice(0, 8);

/** A read past the edge cache (each look deletes the cached answer first), with its status. */
async function fresh(path: string): Promise<{ status: number; body: unknown; type: string | null }> {
  await caches.default.delete(`${BASE}${path}`);
  const res = await call(path);
  return { status: res.status, body: await res.json(), type: res.headers.get('content-type') };
}

async function page(id: string) {
  const r = await fresh(`/api/fighters/${id}`);
  expect(r.status, `GET /api/fighters/${id}: ${JSON.stringify(r.body)}`).toBe(200);
  return FighterPage.parse(r.body);
}

async function list(query: string) {
  const r = await fresh(`/api/fighters?${query}`);
  expect(r.status, `GET /api/fighters?${query}: ${JSON.stringify(r.body)}`).toBe(200);
  return FighterList.parse(r.body);
}

describe('/api/fighters after rounds are archived', () => {
  it('shows a fight finished in the room on both fighters: record, rating, tier, history and the list', async () => {
    const s = suffix();
    const [winner, loser] = [`Api Ace ${s}`, `Api Bee ${s}`];
    const live = await nextLiveRound(fightMatchup(winner, loser));
    expect((await vote('A', await voterToken(`fgt-${suffix()}`))).status).toBe(200);
    await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    // The archive (and the records with it) is sent in the background; the alarm retries it until it lands.
    await vi.waitFor(
      async () => {
        const r = await fresh(`/api/fighters/${fighterId(winner)}`);
        if (r.status === 200) return;
        await runDurableObjectAlarm(room());
        throw new Error(`${winner} on /api/fighters/:id after the round was archived (status ${r.status})`);
      },
      { timeout: 10_000, interval: 200 },
    );

    const ace = await page(fighterId(winner));
    expect(ace.fighter).toMatchObject({ id: fighterId(winner), name: winner, tier: 'N', rating: 1516, wins: 1, losses: 0, ties: 0, kos: 0, streak: 1, fights: 1, active: true });
    expect(ace.fighter.fighter.name).toBe(winner);
    expect(ace.recent).toEqual([
      expect.objectContaining({ pollId: live.pollId, result: 'win', reason: 'rotate', opponent: { id: fighterId(loser), name: loser }, ratingBefore: 1500, ratingAfter: 1516 }),
    ]);
    expect(ace.ratingHistory.map((p) => p.rating)).toEqual([1500, 1516]);
    const bee = await page(fighterId(loser));
    expect(bee.fighter).toMatchObject({ tier: 'N', rating: 1484, wins: 0, losses: 1, streak: -1, fights: 1 });
    expect(bee.recent[0]).toMatchObject({ result: 'loss', opponent: { id: fighterId(winner) } });

    const recent = await list('sort=recent&limit=100');
    expect(recent.sort).toBe('recent');
    expect(recent.items.find((f) => f.id === fighterId(winner))).toEqual(ace.fighter);
    expect(recent.items.find((f) => f.id === fighterId(loser))).toEqual(bee.fighter);
  });

  it('ranks a fighter with enough fights into a tier, the same on the list and its page, and sorts the list', async () => {
    const s = suffix();
    const champ = `Api Champ ${s}`;
    const t0 = Date.now();
    // Five KO wins over five newcomers: five fights, enough to be ranked (fewer is N).
    await currentPoll();
    await runInDurableObject(room(), async (arena: Arena) => {
      const { store, config, name } = arena as unknown as Inside;
      for (let i = 0; i < 5; i++) store.addOutbox(makeResult(`fgt-${s}-${i}`, { names: [champ, `Api Rookie ${s} ${i}`], winner: 'A', finishedAt: t0 + i }));
      await archiveOutbox(store, config, name);
      expect(store.outbox().filter((e) => e.pollId.startsWith(`fgt-${s}`))).toEqual([]);
    });

    const mine = await page(fighterId(champ));
    expect(mine.fighter).toMatchObject({ wins: 5, losses: 0, kos: 5, streak: 5, fights: 5 });
    expect(mine.fighter.rating).toBeGreaterThan(1560);
    expect(mine.recent.map((f) => f.pollId)).toEqual([4, 3, 2, 1, 0].map((i) => `fgt-${s}-${i}`));
    expect(mine.ratingHistory).toHaveLength(6);
    expect(mine.ratingHistory.at(-1)?.rating).toBe(mine.fighter.rating);
    const rookie = await page(fighterId(`Api Rookie ${s} 0`));
    expect(rookie.fighter).toMatchObject({ tier: 'N', losses: 1, rating: 1484 });

    // Its tier is its rank among the active fighters with 5+ fights (whoever else this run's files archived).
    const byRating = await list('sort=rating&limit=100');
    const ranked = byRating.items.filter((f) => f.fights >= 5 && f.active);
    const expected = tierForRank(ranked.filter((f) => f.rating > mine.fighter.rating).length, ranked.length);
    expect(mine.fighter.tier).toBe(expected);
    expect(byRating.items.find((f) => f.id === mine.fighter.id)?.tier).toBe(expected);

    const ordered = (items: FighterSummary[], key: (f: FighterSummary) => number) => items.every((f, i) => i === 0 || key(items[i - 1]!) >= key(f));
    expect(ordered(byRating.items, (f) => f.rating), 'sort=rating: highest first').toBe(true);
    for (const [sort, key] of [
      ['wins', (f: FighterSummary) => f.wins],
      ['fights', (f: FighterSummary) => f.fights],
      ['streak', (f: FighterSummary) => f.streak],
      ['recent', (f: FighterSummary) => f.lastFoughtAt ?? -Infinity],
    ] as const) {
      const got = await list(`sort=${sort}&limit=100`);
      expect(ordered(got.items, key), `sort=${sort}: best first`).toBe(true);
    }
    expect((await list('sort=wins&limit=100')).items.map((f) => f.id)).toContain(mine.fighter.id);
    expect((await list('sort=name&limit=3')).items.length).toBeLessThanOrEqual(3);
  });

  it('is cached at the edge per normalised query', async () => {
    await caches.default.delete(`${BASE}/api/fighters?sort=rating&limit=7`);
    const first = await call('/api/fighters?limit=7');
    expect(first.status).toBe(200);
    expect(first.headers.get('age')).toBeNull();
    const again = await call('/api/fighters?limit=07&sort=rating&junk=1');
    expect(again.headers.get('age'), 'the same page under another spelling is a hit').toMatch(/^\d+$/);
    expect(await again.text()).toBe(await first.text());
  });

  it('answers malformed queries with 400 JSON and an unknown fighter with 404 JSON', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/fighters?sort=height', 400, 'invalid-query'],
      ['/api/fighters?limit=0', 400, 'invalid-query'],
      ['/api/fighters?limit=101', 400, 'invalid-query'],
      ['/api/fighters?limit=1.5', 400, 'invalid-query'],
      ['/api/fighters?limit=ten', 400, 'invalid-query'],
      ['/api/fighters/Not_An_Id', 400, 'invalid-id'],
      ['/api/fighters/-dash-first', 400, 'invalid-id'],
      [`/api/fighters/${'a'.repeat(65)}`, 400, 'invalid-id'],
      ['/api/fighters/%F0%9F%A5%8A', 400, 'invalid-id'],
      [`/api/fighters/nobody-${suffix()}`, 404, 'not-found'],
    ];
    for (const [path, status, code] of cases) {
      const r = await fresh(path);
      expect(r.status, path).toBe(status);
      expect(r.type, path).toMatch(/application\/json/);
      expect(ApiError.parse(r.body).error.code, path).toBe(code);
    }
    // A 404 is not cached: asked twice, it is answered twice by the database, never with an Age.
    const path = `/api/fighters/nobody-${suffix()}`;
    await call(path);
    expect((await call(path)).headers.get('age')).toBeNull();
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    expect(Object.keys(doc.paths['/api/fighters']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
    expect(Object.keys(doc.paths['/api/fighters/{id}']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});

describe('the fighter page /fighters/<id>', () => {
  it("is the site's one fighter page, under the static pages' policy, for any id", async () => {
    const res = await call(`/fighters/anyone-${suffix()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(await res.text()).toContain('id="fighter"');
  });
});
