/**
 * The operator's alerts, end to end: each room here runs its real alarm (upkeep), which posts with the real fetch
 * to a local stand-in for Discord and Slack webhooks (devstack/src/fakes/chat-webhook.ts, started by the global
 * setup: it refuses a body either service would). The room's clock is moved, not waited for.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { StreamStatus } from '@stream-fighter/core';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WATCH_EVERY_MS } from '../src/alerts/alerts.ts';
import { VOTE_WINDOW_MS } from '../src/alerts/vote-watch.ts';
import { createDb } from '../src/db/client.ts';
import { readConfig } from '../src/env.ts';
import type { Arena } from '../src/room/arena.ts';
import type { RoomStorage } from '../src/room/storage.ts';
import { room, shiftRoomClock } from './helpers.ts';

const HOOK = env.ALERT_WEBHOOK_URL;
const config = readConfig(env);
const REPEAT_MS = config.ALERT_REPEAT_MIN * 60_000;

interface Post {
  status: number;
  refused?: string;
  body: { content: string; text: string };
}

/** The room's private parts the tests reach into. */
type Inside = {
  now(): number;
  store: RoomStorage;
  config: typeof config;
  streamDesk: { report(s: StreamStatus[], renderer: string): void };
  vote(input: { voterId: string; option: string }): Promise<{ ok: boolean }>;
};

/** What the webhook received from this room (other test files' rooms post to it too). */
async function posts(name: string): Promise<Post[]> {
  const all = (await (await fetch(HOOK)).json()) as Post[];
  return all.filter((p) => typeof p.body?.content === 'string' && p.body.content.startsWith(`Stream Fighter, room ${name}:`));
}

async function failWith(status: number): Promise<void> {
  const res = await fetch(new URL('/mode', HOOK), { method: 'PUT', body: JSON.stringify({ status }) });
  expect(res.status, `the fake webhook took its mode: ${await res.text()}`).toBe(200);
}

/**
 * A room of its own for each test, its clock an hour ahead from the start: every alarm it sets is then an hour
 * away in real time, so only the test's own `alarm()` calls run it (a real one firing mid-test, on a slow machine,
 * would race them).
 */
async function newRoom(kind: string): Promise<string> {
  const name = `alerts-${kind}-${crypto.randomUUID().slice(0, 8)}`;
  await room(name).poll();
  await shiftRoomClock(3_600_000, name);
  await alarm(name);
  return name;
}

function inRoom<T>(name: string, fn: (arena: Inside, state: DurableObjectState) => T | Promise<T>): Promise<T> {
  return runInDurableObject(room(name), (arena: Arena, state) => fn(arena as unknown as Inside, state));
}

/** One alarm, as the runtime would fire it: the round, the archive, then the alert check. */
async function alarm(name: string): Promise<void> {
  expect(await runDurableObjectAlarm(room(name)), 'the room had an alarm set').toBe(true);
}

const KEY = 'live_alerts_test_9f3a';

function report(name: string, state: StreamStatus['state'], error?: string): Promise<void> {
  return inRoom(name, (a) => a.streamDesk.report([{ streamKey: KEY, state, fps: 30, speed: 1, droppedFrames: 0, restarts: 3, uptimeSec: 5, ...(error ? { error } : {}) }], 'renderer-1'));
}

/** Both fields carry the message: Discord reads `content`, Slack reads `text` (the same, with & < > escaped). */
function expectBoth(post: Post | undefined, pattern: RegExp): void {
  expect(post?.status, `accepted by the fake (refused: ${post?.refused})`).toBe(204);
  expect(Object.keys(post!.body).sort()).toEqual(['content', 'text']);
  expect(post!.body.content).toMatch(pattern);
  expect(post!.body.text).toBe(post!.body.content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

function unreachablePostgres(down: boolean): void {
  createDb({ databaseUrl: config.DATABASE_URL, ...(down ? { endpoint: 'http://127.0.0.1:9/sql' } : config.NEON_HTTP_ENDPOINT ? { endpoint: config.NEON_HTTP_ENDPOINT } : {}) });
}

afterEach(async () => {
  vi.restoreAllMocks();
  unreachablePostgres(false);
  await failWith(0);
});

describe('alerts', () => {
  it('a desired stream that stops being live: one down message, the gap holds a flap, then the recovery', async () => {
    const name = await newRoom('stream');
    await room(name).startStream({ streamKey: KEY, screenId: 'fight' });
    // While a stream is desired the room checks at least every 15 s, whatever the round's own deadlines (the live
    // round's end is a minute away here).
    await liveRound(name);
    await alarm(name);
    const wake = await inRoom(name, async (a, state) => ((await state.storage.getAlarm()) ?? Infinity) - a.now());
    expect(wake).toBeLessThanOrEqual(WATCH_EVERY_MS);

    await report(name, 'live');
    await alarm(name);
    await report(name, 'retrying', 'RTMP connect to rtmp://a.example/live/SECRET refused');
    await alarm(name);
    await shiftRoomClock(config.ALERT_STREAM_DOWN_SEC * 1000 - 5_000, name);
    await report(name, 'retrying');
    await alarm(name);
    expect(await posts(name), 'nothing before ALERT_STREAM_DOWN_SEC').toEqual([]);

    await shiftRoomClock(6_000, name);
    await report(name, 'retrying', 'RTMP connect to rtmp://a.example/live/SECRET refused');
    await alarm(name);
    const [down, ...more] = await posts(name);
    expect(more).toEqual([]);
    expectBoth(down, /^Stream Fighter, room alerts-stream-\w+:\n🔴 DOWN stream …9f3a \(fight\): not live, the renderer reports "retrying": RTMP connect to <url> refused \(3 restarts\) \(since \d\d:\d\d UTC, 6\d s\)$/);
    expect(down!.body.content).not.toContain(KEY);

    // Back within the per-condition gap, down again, back again: nothing more until the gap is over.
    await report(name, 'live');
    await alarm(name);
    await report(name, 'error');
    await alarm(name);
    await report(name, 'live');
    await alarm(name);
    expect(await posts(name), 'the per-condition gap holds every message').toHaveLength(1);

    await shiftRoomClock(REPEAT_MS, name);
    await report(name, 'live');
    await alarm(name);
    const [, recovered, ...rest] = await posts(name);
    expect(rest).toEqual([]);
    expectBoth(recovered, /\n🟢 RECOVERED stream …9f3a \(fight\): back to normal after \d+ min$/);
  });

  it('votes failing inside the room: down after ALERT_VOTE_FAILURES, recovered only once votes go through again', async () => {
    const name = await newRoom('votes');
    await liveRound(name);
    // The room's SQLite refusing the vote's insert, as a full disk would.
    await inRoom(name, (a) => {
      a.store.recordVote = () => {
        throw new Error('SQLITE_FULL: database or disk is full');
      };
    });
    // Cast inside the room (the method /api/vote calls over RPC): a throw that crosses RPC is also reported by
    // workerd as the room's uncaught exception, which the test runner would count against this file.
    for (let i = 0; i < config.ALERT_VOTE_FAILURES; i++) {
      const answer = await inRoom(name, (a) => a.vote({ voterId: `v-fail-${i}`, option: 'A' }).then(() => 'answered', (e: unknown) => String(e)));
      expect(answer).toMatch(/disk is full/);
    }
    await alarm(name);
    const [down] = await posts(name);
    expectBoth(down, new RegExp(`\\n🔴 DOWN votes: ${config.ALERT_VOTE_FAILURES} of ${config.ALERT_VOTE_FAILURES} votes failed inside the room in the last 5 min \\(last error: SQLITE_FULL: database or disk is full\\)`));

    await inRoom(name, (a) => {
      delete (a.store as Partial<RoomStorage>).recordVote;
    });
    // Past the window and the gap with no votes at all: no evidence, so no recovery yet.
    await shiftRoomClock(Math.max(REPEAT_MS, VOTE_WINDOW_MS) + 20_000, name);
    await alarm(name);
    expect(await posts(name)).toHaveLength(1);

    await liveRound(name);
    // Over RPC, as /api/vote casts it.
    expect(await room(name).vote({ voterId: 'v-ok', option: 'A' })).toMatchObject({ ok: true });
    await alarm(name);
    const [, recovered] = await posts(name);
    expectBoth(recovered, /\n🟢 RECOVERED votes: back to normal after \d+ min$/);
  });

  it('the archive: rounds failing to archive past ALERT_ARCHIVE_STALL_SEC, a parked round, and each recovery', async () => {
    const name = await newRoom('archive');
    await room(name).poll();
    // Postgres unreachable (nothing listens on port 9). The Neon driver's endpoint is global to the isolate, so
    // this room's own archive (its alarm) goes there too; it is set back below, and in any case after the test.
    unreachablePostgres(true);
    await inRoom(name, (a) => a.store.addOutbox(makeResult(`stall-${name}`, { finishedAt: a.now() })));
    await alarm(name);
    await shiftRoomClock(config.ALERT_ARCHIVE_STALL_SEC * 1000 + 1_000, name);
    await alarm(name);
    const [stalled] = await posts(name);
    expectBoth(stalled, /\n🔴 DOWN archive: \d+ finished round\(s\) not archived after up to \d+ failed attempt\(s\), the oldest finished 5 min ago \(since \d\d:\d\d UTC, 5 min\)$/);

    unreachablePostgres(false);
    await shiftRoomClock(REPEAT_MS, name);
    await alarm(name);
    expect(await inRoom(name, (a) => a.store.outbox().length), 'the outbox drained').toBe(0);
    const [, caughtUp] = await posts(name);
    expectBoth(caughtUp, /\n🟢 RECOVERED archive: back to normal after \d+ min$/);

    // A round Postgres refuses (a date it cannot hold) is parked at once: the archive said so, then a good round.
    await inRoom(name, (a) => a.store.addOutbox({ ...makeResult(`refused-${name}`, { finishedAt: a.now() }), startedAt: -8.64e15 }));
    await shiftRoomClock(REPEAT_MS, name);
    await alarm(name);
    const [, , parked] = await posts(name);
    expectBoth(parked, /\n🔴 DOWN archive: a finished round could not be archived and was parked: Postgres refused the data \(SQLSTATE 22\w+\)/);

    await inRoom(name, (a) => a.store.addOutbox(makeResult(`fine-${name}`, { finishedAt: a.now() })));
    await shiftRoomClock(REPEAT_MS, name);
    await alarm(name);
    const [, , , back, ...rest] = await posts(name);
    expect(rest).toEqual([]);
    expectBoth(back, /\n🟢 RECOVERED archive: back to normal after \d+ min$/);
  });

  it('a webhook that fails is logged without its URL, never breaks the room, and is tried again after the gap', async () => {
    const name = await newRoom('failing');
    const warn = vi.spyOn(console, 'warn');
    await room(name).startStream({ streamKey: KEY, screenId: 'bars' });
    await failWith(503);
    await shiftRoomClock(config.ALERT_STREAM_DOWN_SEC * 1000 + 1_000, name);
    await alarm(name);
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"alert.delivery-failed"') && l.includes(name));
    expect(lines, 'one delivery-failed line for this room').toHaveLength(1);
    expect(lines[0]).toContain('"status":503');
    expect(lines[0]).not.toContain(new URL(HOOK).host);
    expect((await room(name).poll()).round.pollId, 'the room still answers').toBeTruthy();

    await failWith(0);
    await alarm(name);
    const all = (await (await fetch(HOOK)).json()) as Post[];
    expect(all.filter((p) => p.body?.content?.includes(`room ${name}:`)).map((p) => p.status), 'tried once, not again within the gap').toEqual([503]);
    await shiftRoomClock(REPEAT_MS, name);
    await alarm(name);
    const [down] = await posts(name).then((p) => p.filter((x) => x.status === 204));
    expectBoth(down, /\n🔴 DOWN stream …9f3a \(bars\): no renderer has reported it/);
  });
});

/** Moves this room's clock to its next live round. */
async function liveRound(name: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const p = await room(name).poll();
    if (p.round.phase === 'live') return;
    const r = p.round;
    const due = r.phase === 'upcoming' ? r.liveAt : r.phaseAt + (r.phase === 'finished' ? config.ROUND_PHASES_MS.finish : config.ROUND_PHASES_MS.results);
    await shiftRoomClock(Math.max(1, due - p.now + 1), name);
  }
  throw new Error(`room ${name} did not go live`);
}
