/**
 * The room reads the live round's two fighter cards from the season's records when the round begins and broadcasts
 * them in the snapshot: a rematch of archived fighters shows their records and tiers, a newcomer is a debut, a plain
 * poll has none, and with Postgres unreachable the round goes on without cards (one warning). Names are this
 * run's own: other files archive fights into the same database at the same time.
 */
import { runInDurableObject } from 'cloudflare:test';
import { diffSnapshots, type FighterCard, type Snapshot } from '@stream-fighter/core';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { fighterId } from '@stream-fighter/core/season/record';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../src/db/client.ts';
import { fighterById } from '../src/db/fighters.ts';
import { archiveOutbox } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { services } from '../src/services.ts';
import { currentPoll, nextLiveRound, room, shiftRoomClock } from './helpers.ts';
import { connect } from './ws.ts';

type Inside = { store: RoomStorage; config: Parameters<typeof archiveOutbox>[1]; name: string };

const suffix = () => crypto.randomUUID().slice(0, 8);

async function inRoom<T>(fn: (inside: Inside) => Promise<T>): Promise<T> {
  await currentPoll();
  return runInDurableObject(room(), (arena: Arena) => fn(arena as unknown as Inside));
}

/** Points the Neon driver (global to the isolate) at a closed port, or back at the test stand-in. */
async function postgresDown(down: boolean): Promise<void> {
  await inRoom(async ({ config }) => {
    createDb({ databaseUrl: config.DATABASE_URL, ...(down ? { endpoint: 'http://127.0.0.1:9/sql' } : config.NEON_HTTP_ENDPOINT ? { endpoint: config.NEON_HTTP_ENDPOINT } : {}) });
  });
}

async function viewer() {
  const c = await connect();
  if (c instanceof Response) throw new Error(`websocket refused: ${c.status}`);
  await c.next('snapshot');
  return c;
}

/** The viewer's latest state, as its RoomFeed holds it. */
const latest = (messages: Array<Record<string, unknown>>) => messages.findLast((m) => m.type === 'snapshot') as Snapshot | undefined;

/** The cards in the viewer's latest state, when that state is of this round. */
const cardsIn = (messages: Array<Record<string, unknown>>, pollId: string) => () => {
  const state = latest(messages);
  return state?.round.pollId === pollId ? state.fighters : undefined;
};

afterEach(async () => {
  vi.restoreAllMocks();
  await postgresDown(false);
});

describe('fighter cards in the snapshot', () => {
  it("carries a rematch's two cards with their records and tiers, as a delta once they are read", async () => {
    const s = suffix();
    const [champ, rival] = [`Card Champ ${s}`, `Card Rival ${s}`];
    const t0 = Date.now() - 60_000;
    // A tie with the rival, then four KO wins over newcomers: 4-0-1, a streak of 4, five fights (ranked).
    await inRoom(async ({ store, config, name }) => {
      store.addOutbox(makeResult(`card-${s}-tie`, { names: [champ, rival], winner: null, finishedAt: t0 }));
      for (let i = 0; i < 4; i++) store.addOutbox(makeResult(`card-${s}-${i}`, { names: [champ, `Card Rookie ${s} ${i}`], winner: 'A', finishedAt: t0 + 1 + i }));
      await archiveOutbox(store, config, name);
      expect(store.outbox().filter((e) => e.pollId.startsWith(`card-${s}`)), 'all five fights archived').toEqual([]);
    });
    const c = await viewer();
    try {
      const live = await nextLiveRound(fightMatchup(champ, rival));
      await expect
        .poll(cardsIn(c.messages, live.pollId), { timeout: 10_000, message: "the rematch's cards in the viewer's state" })
        .toBeDefined();
      const cards = latest(c.messages)!.fighters!;
      // The tier is a rank among every ranked fighter (other files' too): read it as the site does, right now.
      const champTier = await inRoom(async ({ config }) => (await fighterById(services(config).db, fighterId(champ)))?.fighter.tier);
      expect(champTier, 'five fights: ranked, not N').toMatch(/^[SABC]$/);
      expect(cards.A).toEqual({ tier: champTier!, wins: 4, losses: 0, ties: 1, streak: 4, debut: false } satisfies FighterCard);
      expect(cards.B).toEqual({ tier: 'N', wins: 0, losses: 0, ties: 1, streak: 0, debut: false } satisfies FighterCard);
      // The cards come after the round began: a delta must be able to carry them (snapshot-delta.ts WHOLE_FIELDS).
      const now = latest(c.messages)!;
      const before: Snapshot = { ...now, seq: now.seq - 1 };
      delete before.fighters;
      const delta = diffSnapshots(before, now);
      expect(delta?.fighters, 'the cards in a delta').toEqual(cards);
    } finally {
      c.ws.close();
    }
  });

  it('gives newcomers the debut card and a plain poll no cards', async () => {
    const s = suffix();
    const c = await viewer();
    try {
      const fresh = await nextLiveRound(fightMatchup(`Card New ${s} A`, `Card New ${s} B`));
      await expect
        .poll(cardsIn(c.messages, fresh.pollId), { timeout: 10_000, message: "the newcomers' cards" })
        .toEqual({ A: { tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true }, B: { tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true } });

      const poll = await nextLiveRound(pollMatchup(3));
      await expect.poll(() => latest(c.messages)?.round.pollId, { timeout: 5_000, message: "the poll's snapshot" }).toBe(poll.pollId);
      // Time for a read that should not happen to land, had it been started.
      await shiftRoomClock(1_000);
      await currentPoll();
      const state = await runInDurableObject(room(), (arena: Arena) => (arena as unknown as { snapshot(): Snapshot }).snapshot());
      expect(state.round.pollId).toBe(poll.pollId);
      expect(state.fighters, 'a plain poll has no fighter cards').toBeUndefined();
      expect(latest(c.messages)?.fighters).toBeUndefined();
    } finally {
      c.ws.close();
    }
  });

  it('goes on without cards when Postgres is unreachable, and says so once', async () => {
    const s = suffix();
    const warn = vi.spyOn(console, 'warn');
    await postgresDown(true);
    const live = await nextLiveRound(fightMatchup(`Card Down ${s} A`, `Card Down ${s} B`));
    const failures = () => warn.mock.calls.map((call) => String(call[0])).filter((l) => l.includes('"fighter-cards.failed"') && l.includes(live.pollId));
    await expect.poll(() => failures().length, { timeout: 10_000, message: 'the failed read logged' }).toBe(1);
    // The round goes on: its clock runs to the end with no cards, and the failure is not retried nor logged again.
    await shiftRoomClock(30_000);
    const later = await currentPoll();
    expect(later.round.pollId).toBe(live.pollId);
    expect(later.round.phase).toBe('live');
    const state = await runInDurableObject(room(), (arena: Arena) => (arena as unknown as { snapshot(): Snapshot }).snapshot());
    expect(state.fighters).toBeUndefined();
    expect(failures()).toHaveLength(1);
  });
});
