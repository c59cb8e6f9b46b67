import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { Matchup } from '@stream-fighter/core';
import { describe, expect, it, vi } from 'vitest';
import type { Arena } from '../src/room/arena.ts';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { BASE, currentPoll, goLive, nextLiveRound, OPERATOR, postJson, room, shiftRoomClock, vote, voterToken, call } from './helpers.ts';
import { connect } from './ws.ts';

describe('Arena room', () => {
  it('changes rounds on its alarm: live → finished (time-out) → results → next round', async () => {
    const live = await nextLiveRound(fightMatchup('Alarm Al', 'Bell Bo'));
    // Past the end of the clock, only the alarm runs: no request touches the room.
    await shiftRoomClock(live.endsAt - live.liveAt + 10);
    expect(await runDurableObjectAlarm(room())).toBe(true);
    let p = await currentPoll();
    expect(p.round.pollId).toBe(live.pollId);
    expect(p.round.phase).toBe('finished');
    expect((p.round.outcome as { reason: string }).reason).toBe('timeout');
    await shiftRoomClock(4_001);
    expect(await runDurableObjectAlarm(room())).toBe(true);
    p = await currentPoll();
    expect(p.round.phase).toBe('results');
    await shiftRoomClock(8_001);
    expect(await runDurableObjectAlarm(room())).toBe(true);
    p = await currentPoll();
    expect(p.round.pollId).not.toBe(live.pollId);
    expect(p.round.phase).toBe('upcoming');
    expect(p.previous?.pollId).toBe(live.pollId);
    expect(p.previous?.outcome.reason).toBe('timeout');
  });

  it('archives the finished round to Postgres, reachable through /api/polls', async () => {
    // A name of this run's own: the leaderboard is in a Redis that another run on the machine may share.
    const winner = `Archie ${crypto.randomUUID().slice(0, 6)}`;
    const live = await nextLiveRound(fightMatchup(winner, 'Polly Ster'));
    expect((await vote('A', await voterToken(`arch-${crypto.randomUUID().slice(0, 8)}`))).status).toBe(200);
    await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    // The archive is sent in the background; the alarm retries it until it lands.
    const found = await vi.waitFor(
      async () => {
        const r = await call(`/api/polls/${live.pollId}`);
        if (r.status === 200) return r;
        await runDurableObjectAlarm(room());
        throw new Error(`the finished round in /api/polls (status ${r.status})`);
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(found.status).toBe(200);
    const poll = (await found!.json()) as { pollId: string; winner: string | null; totalVotes: number; reason: string };
    expect(poll).toMatchObject({ pollId: live.pollId, winner: 'A', totalVotes: 1, reason: 'rotate' });
    // Newest first, in a database other test files write to at the same time (the alerts tests' rooms run an hour
    // ahead, so their rounds sort first): a page of 50, read past the edge cache.
    await caches.default.delete(`${BASE}/api/polls?limit=50`);
    const list = (await (await call('/api/polls?limit=50')).json()) as { items: Array<{ pollId: string }> };
    expect(list.items.map((i) => i.pollId)).toContain(live.pollId);
    // The winner's win reached the Redis leaderboard, once. It is counted after the archive lands, and the read is
    // edge-cached for a few seconds: each look skips the cache.
    const board = async () => {
      await caches.default.delete(`${BASE}/api/leaderboard`);
      return ((await (await call('/api/leaderboard')).json()) as { items: Array<{ fighter: string; wins: number }> }).items;
    };
    await expect.poll(board, { timeout: 5_000 }).toContainEqual({ fighter: winner, wins: 1 });
  });

  it('sends a snapshot on connect and batches broadcasts (≤ 10/s) with increasing seq', async () => {
    await nextLiveRound(pollMatchup(3));
    const viewer = await connect();
    if (viewer instanceof Response) throw new Error(`upgrade refused: ${viewer.status}`);
    expect((await viewer.next('welcome')).role).toBe('viewer');
    const first = await viewer.next('snapshot');
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => voterToken(`burst-${i}-${crypto.randomUUID().slice(0, 6)}`)));
    const t0 = Date.now();
    const results = await Promise.all(tokens.map((t) => vote(i2o(t), t)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    // Wait for the trailing broadcast that carries all 30 votes.
    let last = first;
    for (;;) {
      last = await viewer.next('snapshot', 3_000);
      const votes = (last.round as { votes: Record<string, number> }).votes;
      if ((votes.A ?? 0) + (votes.B ?? 0) >= 30) break;
    }
    const elapsed = Date.now() - t0;
    const snapshots = viewer.messages.filter((m) => m.type === 'snapshot');
    // 30 votes, far fewer snapshots: at most one per 100 ms window (plus the one on connect and a trailing one).
    expect(snapshots.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    expect(snapshots.length).toBeLessThan(30);
    // seq never goes back; an equal seq is the same state sent again (the connect snapshot, then the broadcast).
    for (let i = 1; i < snapshots.length; i++) {
      const [prev, cur] = [snapshots[i - 1]!, snapshots[i]!];
      expect(cur.seq as number).toBeGreaterThanOrEqual(prev.seq as number);
      if (cur.seq === prev.seq) expect(cur.round).toEqual(prev.round);
    }
    expect(snapshots.at(-1)!.seq as number).toBeGreaterThan(first.seq as number);

    // The votes above reach the room in a batch or two, and the batcher alone makes each batch one change. Changes
    // that come one by one are the throttle's: twenty in one turn of the room go out as at most two snapshots (the
    // window's first and one when it closes), and the last change is never left unsent.
    const burst = Matchup.parse(pollMatchup(2, 'Burst'));
    const seqs = await runInDurableObject(room(), (arena: Arena) => {
      const before = arena.health().seq;
      for (let i = 0; i < 10; i++) arena.dequeue(arena.enqueue([burst]).at(-1)!.id);
      return { before, after: arena.health().seq };
    });
    expect(seqs.after - seqs.before).toBe(20);
    const seqOf = (m: Record<string, unknown>) => m.seq as number;
    await expect.poll(() => seqOf(viewer.messages.filter((m) => m.type === 'snapshot').at(-1)!), { timeout: 3_000 }).toBeGreaterThanOrEqual(seqs.after);
    const since = viewer.messages.filter((m) => m.type === 'snapshot' && seqOf(m) > seqs.before);
    const ofBurst = since.slice(0, since.findIndex((m) => seqOf(m) >= seqs.after) + 1);
    expect(ofBurst.length).toBeGreaterThanOrEqual(1);
    expect(ofBurst.length).toBeLessThanOrEqual(2);
    viewer.ws.close();
  });

  it('refuses a renderer without the right token and accepts one with it', async () => {
    const noToken = await connect('?role=renderer');
    expect(noToken).toBeInstanceOf(Response);
    expect((noToken as Response).status).toBe(401);
    const wrong = await connect('?role=renderer&token=nope');
    expect((wrong as Response).status).toBe(401);
    const ok = await connect(`?role=renderer&token=${env.RENDERER_TOKEN}`);
    if (ok instanceof Response) throw new Error(`renderer refused: ${ok.status}`);
    expect((await ok.next('welcome')).role).toBe('renderer');
    await ok.next('snapshot');
    expect((await ok.next('streams')).type).toBe('streams');
    ok.ws.close();
  });

  it('pushes desired streams to renderers and shows their reported status in GET /api/stream', async () => {
    const r = await connect(`?role=renderer&token=${env.RENDERER_TOKEN}`);
    if (r instanceof Response) throw new Error('renderer refused');
    await r.next('streams');
    const key = `key-${crypto.randomUUID().slice(0, 8)}`;
    expect((await postJson('/api/stream', { screenId: 'fight', streamKey: key }, OPERATOR)).status).toBe(201);
    const pushed = await r.next('streams');
    expect((pushed.streams as Array<{ streamKey: string }>).map((s) => s.streamKey)).toContain(key);
    r.ws.send(JSON.stringify({ type: 'stream-status', v: 1, streams: [{ streamKey: key, state: 'live', fps: 30, speed: 1.01, droppedFrames: 0, restarts: 1, uptimeSec: 12 }] }));
    const status = await vi.waitFor(
      async () => {
        const list = (await (await call('/api/stream', { headers: OPERATOR })).json()) as { streams: Array<{ streamKey: string; status: { state: string; fps: number } | null }> };
        const found = list.streams.find((s) => s.streamKey === key)?.status;
        if (!found) throw new Error('the renderer\'s stream-status in GET /api/stream');
        return found;
      },
      { timeout: 2_000, interval: 50 },
    );
    expect(status).toMatchObject({ state: 'live', fps: 30 });
    expect((await call(`/api/stream?streamKey=${key}`, { method: 'DELETE', headers: OPERATOR })).status).toBe(200);
    const after = await r.next('streams');
    expect((after.streams as Array<{ streamKey: string }>).map((s) => s.streamKey)).not.toContain(key);
    r.ws.close();
  });

  it('answers a malformed WebSocket message with a typed error and keeps the connection', async () => {
    const v = await connect();
    if (v instanceof Response) throw new Error('refused');
    await v.next('snapshot');
    v.ws.send('{not json');
    expect((await v.next('error')).code).toBe('bad-message');
    v.ws.send(JSON.stringify({ type: 'stream-status', v: 1, streams: [] }));
    expect((await v.next('error')).code).toBe('forbidden');
    // A ping gets no answer and keeps the connection: the next thing the client hears is the reply to what follows it.
    const heard = v.messages.length;
    v.ws.send(JSON.stringify({ type: 'ping', v: 1 }));
    v.ws.send('{not json');
    expect((await v.next('error')).code).toBe('bad-message');
    expect(v.messages.slice(heard).filter((m) => m.type !== 'snapshot')).toEqual([{ type: 'error', v: 1, code: 'bad-message', message: 'message does not match the protocol' }]);
    expect(v.closed).toBeNull();
    await goLive();
    v.ws.close();
  });
});

function i2o(token: string): 'A' | 'B' {
  return token.charCodeAt(token.length - 1) % 2 ? 'A' : 'B';
}

describe('snapshot cache', () => {
  it('copies the public snapshot to Redis, readable as a poll response', async () => {
    const { cachedPoll } = await import('../src/room/snapshot-cache.ts');
    const { readConfig } = await import('../src/env.ts');
    const live = await nextLiveRound(pollMatchup(3, 'Cache me'));
    const cached = await vi.waitFor(
      async () => {
        const poll = await cachedPoll(readConfig(env));
        if (poll?.round.pollId !== live.pollId) throw new Error(`the live round ${live.pollId} in the Redis snapshot cache`);
        return poll;
      },
      { timeout: 4_000, interval: 100 },
    );
    expect(cached?.round.pollId).toBe(live.pollId);
    expect(cached?.round.matchup.title).toBe('Cache me');
    expect(cached?.myVote).toBeNull();
  });
});
