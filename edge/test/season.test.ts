/**
 * The season's cycle in the room (room/season-desk.ts): matchmaking rounds, then an 8-fighter tournament seeded from
 * the roster, then exhibitions, then matchmaking again; the bracket's matches open before the queue, a round nobody
 * decides goes to the higher seed, the cycle survives an eviction mid-tournament, and the operator can start a
 * tournament, skip to matchmaking and set the lengths. The roster is given to the room here (the room reads
 * Postgres in production: db/fighters.ts seasonRoster, tested against Postgres in fighters.node.test.ts), so the
 * field is known exactly whatever other test files have recorded.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { generateMatchup, SeasonResponse, type Fighter, type Matchup, type Snapshot } from '@stream-fighter/core';
import { fighterId } from '@stream-fighter/core/season/record';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeasonRosterEntry } from '../src/db/fighters.ts';
import type { Arena } from '../src/room/arena.ts';
import { call, currentPoll, nextLiveRound, OPERATOR, postJson, room, shiftRoomClock, vote, voterToken } from './helpers.ts';

type Inside = {
  store: { outbox(): unknown[] };
  season: { c: { roster: () => Promise<SeasonRosterEntry[]>; generate: (n: number, seed: string) => Promise<Matchup[]> } };
  upkeep: { run(): Promise<void>; planning: boolean };
  snapshot(): Snapshot;
};

const T0 = Date.now();

/** Ten fighters, rated 1700 down to 1520, each with 10 fights: seeds 1–8 are the first eight. */
function makeRoster(tag: string): SeasonRosterEntry[] {
  const fighters: Fighter[] = [];
  for (let i = 0; fighters.length < 10; i++) {
    for (const o of generateMatchup(`season-${tag}-${i}`).options) fighters.push({ ...o.fighter, name: `S${tag} ${fighters.length + 1} ${o.fighter.name}`.slice(0, 32) });
  }
  return fighters.slice(0, 10).map((fighter, i) => ({
    id: fighterId(fighter.name),
    fighter,
    rating: 1700 - i * 20,
    fights: 10,
    tier: i < 2 ? 'S' : i < 4 ? 'A' : 'B',
    lastFoughtAt: T0 - 60_000,
    lastOpponent: null,
    retired: false,
  }));
}

async function inside<T>(fn: (arena: Inside) => Promise<T> | T): Promise<T> {
  await currentPoll();
  return runInDurableObject(room(), (arena: Arena) => fn(arena as unknown as Inside));
}

async function giveRoster(roster: SeasonRosterEntry[]): Promise<void> {
  await inside((arena) => {
    arena.season.c.roster = async () => roster;
  });
}

async function season(): Promise<SeasonResponse> {
  const res = await call('/api/season', { headers: { 'cache-control': 'no-cache' } });
  expect(res.status).toBe(200);
  return SeasonResponse.parse(await res.json());
}

/** The room's own view (GET /api/season is edge-cached for PUBLIC_CACHE_SECONDS). */
async function seasonNow(): Promise<SeasonResponse> {
  return inside((arena) => (arena as unknown as { seasonView(): SeasonResponse }).seasonView());
}

async function act(body: unknown, headers: Record<string, string> = OPERATOR): Promise<Response> {
  return postJson('/api/season', body, headers);
}

/** The two fighter ids of the live round. */
async function liveIds(): Promise<string[]> {
  const p = (await currentPoll()) as unknown as { round: { matchup: Matchup } };
  return p.round.matchup.options.map((o) => fighterId(o.fighter.name));
}

/** Ends the live round (an operator's rotate) and drives the room to the next live round. */
async function finishRound(): Promise<string[]> {
  await nextLiveRound();
  return liveIds();
}

async function planNow(): Promise<void> {
  await inside((arena) => arena.upkeep.run());
}

/**
 * The file's rooms are left quiet: the room's clock back on real time (moved ahead, its alarms would fire at once,
 * over and over) and no archive or planning read of Postgres still on its way when the file's runtime goes.
 */
afterAll(async () => {
  await runInDurableObject(room(), (arena: Arena) => {
    const a = arena as Arena & { clockOffset?: number };
    a.clockOffset = 0;
    a.now = () => Date.now();
  });
  // Bounded: a few upkeep runs (each archives what is left and plans), 15 s at most.
  const until = Date.now() + 15_000;
  for (;;) {
    if (await inside(async (a) => (await a.upkeep.run(), a.store.outbox().length === 0 && !a.upkeep.planning))) break;
    if (Date.now() > until) throw new Error('the room did not archive its rounds and finish planning within 15 s');
    await new Promise((ok) => setTimeout(ok, 200));
  }
});

describe('the season cycle', () => {
  it('refuses a stranger and bad bodies with a 4xx naming the problem, and changes nothing', async () => {
    const before = await seasonNow();
    expect((await act({ action: 'start-tournament' }, {})).status).toBe(401);
    for (const body of [{ action: 'nope' }, { action: 'set-lengths', lengths: { matchmakingRounds: 0 } }, { action: 'set-lengths', lengths: { exhibitions: 'x' } }, { action: 'start-tournament', extra: 1 }]) {
      const res = await act(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    }
    expect(await seasonNow()).toEqual(before);
    // The operator's uncached read: the room's own answer, refused to a stranger.
    expect((await call('/api/season/now')).status).toBe(401);
    const now = await call('/api/season/now', { headers: OPERATOR });
    expect(now.headers.get('cache-control')).toBe('no-store');
    expect(SeasonResponse.parse(await now.json())).toEqual(before);
  });

  it('plays matchmaking, a seeded tournament with the tie-break, exhibitions, and matchmaking again; an eviction mid-tournament changes nothing', async () => {
    const roster = makeRoster('a');
    const ids = roster.map((r) => r.id);
    await giveRoster(roster);
    const set = await act({ action: 'set-lengths', lengths: { matchmakingRounds: 2, exhibitions: 1 } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as SeasonResponse).cycle).toEqual({ matchmakingRounds: 2, exhibitions: 1 });
    // Whatever the room played before this test, start from a matchmaking stage at 0.
    await act({ action: 'skip-to-matchmaking' });
    let s = await seasonNow();
    if (s.position.stage === 'matchmaking' && s.position.played > 0) {
      await act({ action: 'start-tournament' });
      await act({ action: 'skip-to-matchmaking' });
      s = await seasonNow();
    }
    expect(s.position).toMatchObject({ stage: 'matchmaking', played: 0, total: 2, untilTournament: 2 });
    const seasonBefore = s.bracket?.season ?? 0;

    await finishRound();
    expect((await seasonNow()).position).toMatchObject({ stage: 'matchmaking', played: 1, untilTournament: 1 });
    // The last matchmaking round is under way: the upkeep reads the field now, and the stream announces QF1.
    // Planned again on each try: an alarm's planning run already under way may have started before the round counted.
    await expect
      .poll(async () => (await planNow(), (await inside((a) => a.snapshot())).upNext?.options.map((o) => fighterId(o.fighter.name))), { timeout: 5_000, message: 'QF1 announced as up next' })
      .toEqual([ids[0], ids[7]]);

    // Quarter-finals 1v8, 4v5, 2v7, 3v6 (0-based: 0v7, 3v4, 1v6, 2v5); nobody votes, so the higher seed goes through.
    expect(await finishRound()).toEqual([ids[0], ids[7]]);
    s = await seasonNow();
    expect(s.position).toMatchObject({ stage: 'tournament', season: seasonBefore + 1, round: 'quarter-final', match: 1, of: 4, overall: 1 });
    expect(s.bracket?.matches.map((m) => [m.a?.seed ?? null, m.b?.seed ?? null])).toEqual([[1, 8], [4, 5], [2, 7], [3, 6], [null, null], [null, null], [null, null]]);
    const snap = await inside((a) => a.snapshot());
    expect(snap.season?.position.stage).toBe('tournament');
    expect(snap.upNext?.options.map((o) => fighterId(o.fighter.name)), 'QF2 up next').toEqual([ids[3], ids[4]]);

    // An operator's matchup waits while the bracket plays.
    const queued = generateMatchup('season-operator-queued');
    expect((await postJson('/api/poll/queue', queued, OPERATOR)).status).toBe(201);

    // QF2: seed 5 (option B) gets a vote and goes through on the round's result.
    expect(await finishRound()).toEqual([ids[3], ids[4]]);
    expect((await vote('B', await voterToken(`season-voter-${crypto.randomUUID()}`))).status).toBe(200);

    await evictDurableObject(room());
    await shiftRoomClock(0);
    expect((await seasonNow()).position, 'the cycle survived the eviction').toMatchObject({ stage: 'tournament', round: 'quarter-final', match: 2 });
    expect(await liveIds()).toEqual([ids[3], ids[4]]);

    expect(await finishRound()).toEqual([ids[1], ids[6]]);
    s = await seasonNow();
    expect(s.bracket?.matches[1]).toMatchObject({ winner: ids[4] });
    expect(s.bracket?.matches[0]).toMatchObject({ winner: ids[0], by: 'seed' });
    expect(await finishRound()).toEqual([ids[2], ids[5]]);
    // Semi-finals: QF1 v QF2 winners (seed 1 v seed 5), QF3 v QF4 (seed 2 v seed 3).
    expect(await finishRound()).toEqual([ids[0], ids[4]]);
    expect(await finishRound()).toEqual([ids[1], ids[2]]);
    expect((await seasonNow()).position).toMatchObject({ round: 'semi-final', match: 2, of: 2, overall: 6 });
    // The final's second fighter is still fighting: nothing announced.
    expect((await inside((a) => a.snapshot())).upNext).toBeNull();
    expect(await finishRound()).toEqual([ids[0], ids[1]]);
    expect((await seasonNow()).position).toMatchObject({ stage: 'tournament', round: 'final', match: 1, of: 1, overall: 7 });

    // The operator's matchup waited in the queue through the whole bracket.
    const queue = ((await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: Array<{ matchup: Matchup }> }).queue;
    expect(queue.map((q) => q.matchup.title)).toContain(queued.title);
    // After the final: the champion, and the exhibitions.
    await finishRound();
    s = await seasonNow();
    expect(s.position).toMatchObject({ stage: 'exhibition', played: 0, remaining: 1 });
    expect(s.bracket?.done).toBe(true);
    expect(s.champions[0]).toMatchObject({ season: seasonBefore + 1, fighterId: ids[0], name: roster[0]!.fighter.name });
    // Each bracket match counted exactly once, by the poll that played it.
    expect(new Set(s.bracket?.matches.map((m) => m.pollId)).size).toBe(7);

    await finishRound();
    expect((await seasonNow()).position).toMatchObject({ stage: 'matchmaking', played: 0 });
    // The public route says the same (served by the room; edge-cached for a few seconds).
    expect((await season()).champions[0]?.fighterId).toBe(ids[0]);
  });

  it('starts a tournament now and skips back to matchmaking, from the dashboard', async () => {
    const roster = makeRoster('b');
    const ids = roster.map((r) => r.id);
    await giveRoster(roster);
    await act({ action: 'skip-to-matchmaking' });
    const started = await act({ action: 'start-tournament' });
    expect(started.status).toBe(200);
    expect(((await started.json()) as SeasonResponse).position.stage).toBe('seeding');
    await expect.poll(async () => (await planNow(), (await seasonNow()).position.stage), { timeout: 5_000, message: 'seeded by the upkeep' }).toBe('tournament');
    // The live round plays on; the first quarter-final is next.
    expect((await inside((a) => a.snapshot())).upNext?.options.map((o) => fighterId(o.fighter.name))).toEqual([ids[0], ids[7]]);
    expect(await finishRound()).toEqual([ids[0], ids[7]]);

    const skipped = await act({ action: 'skip-to-matchmaking' });
    expect(((await skipped.json()) as SeasonResponse).position).toMatchObject({ stage: 'matchmaking', played: 0 });
    expect(await finishRound(), 'no bracket match after the skip').not.toEqual([ids[3], ids[4]]);
  });

  it('a field too small for a bracket sends the cycle back to matchmaking, and the next seeding reads the roster again', async () => {
    const roster = makeRoster('d');
    await giveRoster(roster.slice(0, 5));
    await act({ action: 'skip-to-matchmaking' });
    await act({ action: 'start-tournament' });
    await expect.poll(async () => (await planNow(), (await seasonNow()).position.stage), { timeout: 5_000, message: 'seeding with 5 fighters gives up' }).toBe('matchmaking');
    await giveRoster(roster);
    await act({ action: 'start-tournament' });
    await expect.poll(async () => (await planNow(), (await seasonNow()).position.stage), { timeout: 5_000, message: 'seeded from the 10 fighters now there' }).toBe('tournament');
    expect((await seasonNow()).bracket?.matches[0]?.a?.id).toBe(roster[0]!.id);
    await act({ action: 'skip-to-matchmaking' });
  });

  it('fills the queue with matchmaking pairings from the roster', async () => {
    const roster = makeRoster('c');
    const ids = new Set(roster.map((r) => r.id));
    await giveRoster(roster);
    await act({ action: 'skip-to-matchmaking' });
    await act({ action: 'set-lengths', lengths: { matchmakingRounds: 100 } });
    const list = await call('/api/poll/queue', { headers: OPERATOR });
    for (const item of ((await list.json()) as { queue: Array<{ id: number }> }).queue) await call(`/api/poll/queue/${item.id}`, { method: 'DELETE', headers: OPERATOR });
    await planNow();
    const queue = ((await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: Array<{ matchup: Matchup }> }).queue;
    expect(queue.length).toBe(2);
    for (const { matchup } of queue) {
      const [a, b] = matchup.options.map((o) => fighterId(o.fighter.name));
      // A pair from the roster, or a debut against one of it (10 % of rounds by default).
      expect(ids.has(a!) || ids.has(b!), matchup.title).toBe(true);
      expect(a).not.toBe(b);
    }
  });
});
