import { runInDurableObject } from 'cloudflare:test';
import type { RoundResult } from '@stream-fighter/core';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client.ts';
import { getPoll } from '../src/db/polls.ts';
import { archiveOutbox, permanentArchiveError } from '../src/room/archiver.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { keys, services } from '../src/services.ts';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { call, currentPoll, room } from './helpers.ts';

/** The room's private parts a test may reach into: its storage and its parsed config. */
type Inside = { store: RoomStorage; config: Parameters<typeof archiveOutbox>[1]; name: string };

function result(pollId: string, at = Date.now(), winner = 'Park Pia'): RoundResult {
  const m = fightMatchup(winner, 'Lot Lou');
  return {
    pollId,
    matchup: { ...m, stage: 'dojo', headlines: [], source: 'operator' } as RoundResult['matchup'],
    votes: { A: 1, B: 0 },
    hp: { A: 100_000, B: 90_000 },
    outcome: { reason: 'timeout', winner: 'A' },
    startedAt: at - 60_000,
    finishedAt: at,
    totalVotes: 1,
  };
}

/** Writes a row straight into the outbox, as an older version of the room (or a bug) might have. */
function putRaw(store: RoomStorage, pollId: string, json: string): void {
  (store as unknown as { sql: SqlStorage }).sql.exec(`INSERT INTO outbox (poll_id, result) VALUES (?, ?)`, pollId, json);
}

const id = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

/** Runs `fn` inside the room, started first (a request wakes it and runs its onStart). */
async function inRoom(fn: (inside: Inside) => Promise<void>): Promise<void> {
  await currentPoll();
  await runInDurableObject(room(), (arena: Arena) => fn(arena as unknown as Inside));
}

describe('archive outbox', () => {
  it('parks a round Postgres refuses at once, logged, and keeps archiving the rounds after it', async () => {
    const refused = id('refused');
    const fine = id('fine');
    await inRoom(async ({ store, config, name }) => {
      // A date Postgres cannot hold (before 4713 BC): "date/time field value out of range", on every attempt.
      store.addOutbox({ ...result(refused), startedAt: -8.64e15 });
      store.addOutbox(result(fine));
      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(refused);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(fine);
      const parked = store.parked().find((p) => p.pollId === refused);
      expect(parked?.attempts).toBe(1);
      expect(parked?.error).toMatch(/SQLSTATE 22/);
    });
    expect((await call(`/api/polls/${fine}`)).status).toBe(200);
    expect((await call(`/api/polls/${refused}`)).status).toBe(404);
  });

  it('archives a round stored with a lone surrogate (repaired), instead of retrying it forever', async () => {
    const pollId = id('lone');
    await inRoom(async ({ store, config, name }) => {
      putRaw(store, pollId, JSON.stringify(result(pollId)).replace('Park Pia vs Lot Lou', 'Park \\ud83d vs Lot Lou'));
      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);
      expect(store.parked().map((p) => p.pollId)).not.toContain(pollId);
    });
    const res = await call(`/api/polls/${pollId}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { title: string }).title).toBe('Park \ufffd vs Lot Lou');
  });

  it('parks a stored row that no longer parses without trying it', async () => {
    const pollId = id('garbled');
    await inRoom(async ({ store, config, name }) => {
      putRaw(store, pollId, '{"pollId":');
      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);
      expect(store.parked().find((p) => p.pollId === pollId)?.error).toMatch(/not JSON/);
    });
  });

  it('retries a round while Postgres is unreachable, and parks it after ARCHIVE_MAX_ATTEMPTS', async () => {
    const pollId = id('unreachable');
    await inRoom(async ({ store, config, name }) => {
      store.addOutbox(result(pollId));
      // The Neon driver's endpoint is global to the isolate: point it at a closed port, and back afterwards.
      const down = { ...config, ARCHIVE_MAX_ATTEMPTS: 3, NEON_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql' };
      try {
        for (const attempt of [1, 2]) {
          createDb({ databaseUrl: config.DATABASE_URL, endpoint: down.NEON_HTTP_ENDPOINT });
          await archiveOutbox(store, down, name);
          expect(store.outbox().find((e) => e.pollId === pollId)?.attempts, `after attempt ${attempt}`).toBe(attempt);
        }
        createDb({ databaseUrl: config.DATABASE_URL, endpoint: down.NEON_HTTP_ENDPOINT });
        await archiveOutbox(store, down, name);
      } finally {
        createDb({ databaseUrl: config.DATABASE_URL, ...(config.NEON_HTTP_ENDPOINT ? { endpoint: config.NEON_HTTP_ENDPOINT } : {}) });
      }
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);
      expect(store.parked().find((p) => p.pollId === pollId)).toMatchObject({ attempts: 3, error: expect.stringMatching(/gave up after 3 attempts/) });
    });
  });

  it('counts the win of a round whose timed-out attempt inserted late: once, on the retry that finds the row', async () => {
    const pollId = id('late');
    const winner = `Late ${crypto.randomUUID().slice(0, 6)}`;
    await inRoom(async ({ store, config, name }) => {
      const wins = () => services(config).redis.zscore(keys.leaderboard, winner);
      store.addOutbox(result(pollId, Date.now(), winner));
      // No Postgres answers within 0 ms: the attempt times out, but its insert is already on its way.
      await archiveOutbox(store, config, name, Date.now(), 0);
      expect(store.outbox().find((e) => e.pollId === pollId)?.attempts, 'the timed-out attempt counted as failed').toBe(1);
      await expect.poll(async () => (await getPoll(services(config).db, pollId))?.pollId ?? null, { timeout: 5_000, message: "the timed-out attempt's late insert" }).toBe(pollId);
      expect(await wins(), 'no win counted by an attempt that timed out').toBeNull();

      await archiveOutbox(store, config, name);
      expect(store.outbox().map((e) => e.pollId)).not.toContain(pollId);
      expect(await wins(), 'the retry found the row already there and still counted the win').toBe(1);

      // Archived again (a crash before the outbox delete): the win is not counted twice.
      store.addOutbox(result(pollId, Date.now(), winner));
      await archiveOutbox(store, config, name);
      expect(await wins()).toBe(1);
    });
  });

  it('tells permanent errors from transient ones', () => {
    expect(permanentArchiveError(Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' }))).toMatch(/22P02/);
    expect(permanentArchiveError(new Error('wrapped', { cause: Object.assign(new Error('check'), { code: '23514' }) }))).toMatch(/23514/);
    expect(permanentArchiveError(Object.assign(new Error('zod'), { name: 'ZodError' }))).toMatch(/schema/);
    expect(permanentArchiveError(new TypeError('fetch failed'))).toBeNull();
    expect(permanentArchiveError(Object.assign(new Error('too many connections'), { code: '53300' }))).toBeNull();
  });
});
