/**
 * The archiver applies a finished fight to both fighters' records in the same attempt as the archive, exactly once:
 * a retry after a timeout, a retry after an attempt that archived but never got to the records, and the same round
 * archived again (a crash before the outbox delete) all leave one fight on each record.
 */
import { runInDurableObject } from 'cloudflare:test';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { fighterId } from '@stream-fighter/core/season/record';
import { describe, expect, it } from 'vitest';
import { archiveResult } from '../src/db/archive.ts';
import { fighterById } from '../src/db/fighters.ts';
import { archiveOutbox } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { services } from '../src/services.ts';
import { currentPoll, room } from './helpers.ts';

type Inside = { store: RoomStorage; config: Parameters<typeof archiveOutbox>[1]; name: string };

const suffix = () => crypto.randomUUID().slice(0, 8);

async function inRoom(fn: (inside: Inside) => Promise<void>): Promise<void> {
  await currentPoll();
  await runInDurableObject(room(), (arena: Arena) => fn(arena as unknown as Inside));
}

/** A KO win for option A: its winner, its loser and their ids. */
function koFight(pollId: string) {
  const s = suffix();
  const winner = `Rec Winner ${s}`;
  const loser = `Rec Loser ${s}`;
  const result = { ...makeResult(pollId, { names: [winner, loser], winner: 'A', finishedAt: Date.now() }) };
  return { result, winnerId: fighterId(winner), loserId: fighterId(loser) };
}

async function recordOf(config: Inside['config'], id: string) {
  const detail = await fighterById(services(config).db, id);
  return detail && { ...detail.fighter, history: detail.recent.length };
}

describe('archiving a fight records both fighters once', () => {
  it('counts the fight once across a timed-out attempt, its retry and a second archive of the same round', async () => {
    const pollId = `rec-late-${suffix()}`;
    const { result, winnerId, loserId } = koFight(pollId);
    await inRoom(async ({ store, config, name }) => {
      store.addOutbox(result);
      // No Postgres answers within 0 ms: the attempt fails, but its archive and records keep going in the background.
      await archiveOutbox(store, config, name, Date.now(), 0);
      expect(store.outbox().find((e) => e.pollId === pollId)?.attempts, 'the timed-out attempt counted as failed').toBe(1);
      await expect
        .poll(async () => (await recordOf(config, winnerId))?.fights ?? 0, { timeout: 5_000, message: "the timed-out attempt's late records" })
        .toBe(1);

      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId), 'the retry succeeded').not.toContain(pollId);
      store.addOutbox(result);
      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);

      expect(await recordOf(config, winnerId)).toMatchObject({ fights: 1, wins: 1, losses: 0, ties: 0, kos: 1, streak: 1, rating: 1516, tier: 'N', history: 1 });
      expect(await recordOf(config, loserId)).toMatchObject({ fights: 1, wins: 0, losses: 1, ties: 0, kos: 0, streak: -1, rating: 1484, tier: 'N', history: 1 });
    });
  });

  it('records the fighters on the retry of a round an earlier attempt archived without recording them', async () => {
    const pollId = `rec-half-${suffix()}`;
    const { result, winnerId, loserId } = koFight(pollId);
    await inRoom(async ({ store, config, name }) => {
      // As if an attempt archived the round and then lost Postgres before the records.
      expect((await archiveResult(services(config).db, result)).inserted).toBe(true);
      expect(await recordOf(config, winnerId), 'no record before the retry').toBeNull();
      store.addOutbox(result);
      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);
      expect(await recordOf(config, winnerId)).toMatchObject({ fights: 1, wins: 1, rating: 1516 });
      expect(await recordOf(config, loserId)).toMatchObject({ fights: 1, losses: 1, rating: 1484 });
    });
  });
});
