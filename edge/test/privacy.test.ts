/**
 * Personal data kept small: an operator deletes one voter's data (the room's vote rows, their shout-outs, the
 * voted markers in Redis), and the room's alarm clears shout-outs' address hashes after ADDRESS_HASH_DAYS (7).
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { shoutouts } from '@stream-fighter/drizzle/schema';
import { readConfig } from '../src/env.ts';
import { addShoutout } from '../src/db/shoutouts.ts';
import type { Arena } from '../src/room/arena.ts';
import { keys, services } from '../src/services.ts';
import { call, currentPoll, goLive, nextLiveRound, OPERATOR, postJson, room, vote, voterToken } from './helpers.ts';

const codeOf = async (r: Response) => ((await r.json()) as { error?: { code: string } }).error?.code ?? 'ok';

const config = () => readConfig(env);
const db = () => services(config()).db;
const shout = (voterId: string, extra: { at?: number; addressKey?: string } = {}) =>
  addShoutout(db(), { id: crypto.randomUUID(), user: 'Fan', message: 'go go go', voterId, status: 'visible', ...extra });

describe('DELETE /api/voters/:id', () => {
  it("deletes one voter's vote rows, shout-outs and voted markers, and nobody else's", async () => {
    const live = await goLive();
    const [me, other] = [`gone-${crypto.randomUUID().slice(0, 8)}`, `stay-${crypto.randomUUID().slice(0, 8)}`];
    const [myToken, otherToken] = await Promise.all([voterToken(me), voterToken(other)]);
    expect((await vote('A', myToken)).status).toBe(200);
    expect((await vote('A', otherToken)).status).toBe(200);
    const marker = (voter: string) => services(config()).redis.get(keys.voted(config().ROOM_NAME, live.pollId, voter));
    await expect.poll(() => marker(me), { timeout: 5_000, message: "the room's voted marker in Redis" }).toBe('A');
    await expect.poll(() => marker(other), { timeout: 5_000, message: "the other voter's marker" }).toBe('A');
    const [mine, theirs] = [await shout(me), await shout(other)];
    // One more, still waiting for an operator: it holds a name and a message in the room.
    const waiting = await postJson('/api/shoutout', { user: 'Fan', message: 'pick me' }, { 'x-voter-token': myToken, 'cf-connecting-ip': '192.0.2.7' });
    expect(waiting.status).toBe(202);
    const pendingIds = async () => ((await (await call('/api/shoutouts', { headers: OPERATOR })).json()) as { pending: Array<{ id: string }> }).pending.map((p) => p.id);
    const waitingId = ((await waiting.json()) as { shoutout: { id: string } }).shoutout.id;
    expect(await pendingIds()).toContain(waitingId);

    expect((await call(`/api/voters/${me}`, { method: 'DELETE' })).status).toBe(401);
    const bad = await call('/api/voters/x%3Cy', { method: 'DELETE', headers: OPERATOR });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid-id' } });

    const res = await call(`/api/voters/${me}`, { method: 'DELETE', headers: OPERATOR });
    expect(res.status).toBe(200);
    // The live round's row is its dedupe: it stays until the round is pruned, so the same session cannot vote twice.
    expect(await res.json()).toEqual({ voterId: me, deleted: { votes: 0, shoutouts: 2, markers: 1 }, keptUntilRoundEnds: { votes: 1 } });
    expect(await codeOf(await vote('B', myToken))).toBe('already-voted');
    expect((await currentPoll({ 'x-voter-token': otherToken })).myVote).toBe('A');
    expect(await marker(me)).toBeNull();
    expect(await marker(other)).toBe('A');
    const left = await db().select({ id: shoutouts.id }).from(shoutouts).where(inArray(shoutouts.id, [mine.id, theirs.id]));
    expect(left).toEqual([{ id: theirs.id }]);
    expect(await pendingIds()).not.toContain(waitingId);
    // The tally is an anonymous count: it stays.
    expect((await currentPoll()).round.votes.A).toBeGreaterThanOrEqual(2);

    // Deleting again finds nothing left.
    const again = await call(`/api/voters/${me}`, { method: 'DELETE', headers: OPERATOR });
    expect(await again.json()).toEqual({ voterId: me, deleted: { votes: 0, shoutouts: 0, markers: 0 }, keptUntilRoundEnds: { votes: 1 } });
  });

  it('deletes the vote rows of finished rounds', async () => {
    await goLive();
    const me = `done-${crypto.randomUUID().slice(0, 8)}`;
    expect((await vote('A', await voterToken(me))).status).toBe(200);
    const finished = (await currentPoll()).round.pollId;
    await nextLiveRound();
    expect((await currentPoll()).round.pollId).not.toBe(finished);
    const res = await call(`/api/voters/${me}`, { method: 'DELETE', headers: OPERATOR });
    expect(await res.json()).toMatchObject({ deleted: { votes: 1 }, keptUntilRoundEnds: { votes: 0 } });
  });
});

describe('address hashes on shout-outs', () => {
  it("are cleared by the room's alarm once older than ADDRESS_HASH_DAYS, recent ones kept", async () => {
    const day = 24 * 3600 * 1000;
    const old = await shout(`old-${crypto.randomUUID().slice(0, 8)}`, { at: Date.now() - 8 * day, addressKey: 'a'.repeat(32) });
    const recent = await shout(`new-${crypto.randomUUID().slice(0, 8)}`, { at: Date.now() - 6 * day, addressKey: 'b'.repeat(32) });
    // The purge runs at most hourly; make this alarm the one that runs it.
    await runInDurableObject(room(), (arena: Arena) => {
      (arena as unknown as { upkeep: { retention: { lastRun: number } } }).upkeep.retention.lastRun = -Infinity;
    });
    await runDurableObjectAlarm(room());
    const hashOf = async (id: string) => (await db().select({ h: shoutouts.ipHash }).from(shoutouts).where(eq(shoutouts.id, id)))[0]?.h;
    await expect.poll(() => hashOf(old.id), { timeout: 5_000, message: 'the 8-day-old hash cleared' }).toBeNull();
    expect(await hashOf(recent.id)).toBe('b'.repeat(32));
  });
});
