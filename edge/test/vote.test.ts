import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { VoteAccepted } from '@stream-fighter/core';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { addressOf, call, currentPoll, goLive, nextLiveRound, OPERATOR, room, solvedAltcha, vote, voterToken } from './helpers.ts';

describe('POST /api/vote', () => {
  beforeEach(async () => {
    await goLive();
  });

  it('a first vote without a session must carry a solved challenge', async () => {
    const res = await vote('A');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('challenge-required');
    const forged = await vote('A', undefined, { altcha: btoa('{"challenge":{},"solution":{}}') });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('challenge-failed');
  });

  it('accepts the seed body {"option":"A"} with a solved challenge and issues a voter session', async () => {
    const res = await vote('A', undefined, { altcha: await solvedAltcha() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; vote: { option: string; pollId: string }; tally: Record<string, number>; voterToken?: string };
    expect(body.type).toBe('vote-accepted');
    expect(body.vote.option).toBe('A');
    expect(body.voterToken).toMatch(/^v1\.p-/);
    expect(res.headers.get('set-cookie')).toMatch(/sf_voter=v1\./);
    // The same session cannot vote again in this round, even for the other side.
    const again = await vote('B', body.voterToken);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('already-voted');
  });

  it('reads curl-style bodies: JSON sent as a form, and a real form post (no-JS page)', async () => {
    const form = (body: string) => call('/api/vote', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': addressOf(body) }, body });
    const curlStyle = await form(JSON.stringify({ option: 'A', altcha: await solvedAltcha() }));
    expect(curlStyle.status).toBe(200);
    const plain = await form(new URLSearchParams({ option: 'B', altcha: await solvedAltcha() }).toString());
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { vote: { option: string } }).vote.option).toBe('B');
  });

  it('a vote for A is a hit on B', async () => {
    const before = await currentPoll();
    const res = await vote('A', await voterToken(`hitter-${crypto.randomUUID().slice(0, 8)}`));
    expect(res.status).toBe(200);
    const after = await currentPoll();
    expect(after.round.votes.A).toBe((before.round.votes.A ?? 0) + 1);
    expect(after.round.hp.B).toBeLessThan(before.round.hp.B!);
    expect(after.round.hp.A).toBe(before.round.hp.A);
    expect(after.seq).toBeGreaterThan(before.seq);
  });

  it('the answer names the hit the vote landed: damage equals the HP the other side lost; no hit on a plain poll', async () => {
    const fight = fightMatchup();
    const { pollId } = await nextLiveRound(fight);
    const before = await currentPoll();
    const res = await vote('B', await voterToken(`landed-${crypto.randomUUID().slice(0, 8)}`), { pollId });
    expect(res.status).toBe(200);
    const body = VoteAccepted.parse(await res.json());
    const after = await currentPoll();
    expect(body.hit, 'a vote in a fight lands a hit').toBeDefined();
    const hit = body.hit!;
    expect(hit).toMatchObject({ n: after.round.hitCount, attacker: 'B', target: 'A' });
    expect(hit.damage).toBeGreaterThan(0);
    expect(hit.damage).toBe(before.round.hp.A! - after.round.hp.A!);
    expect(body.hp.A).toBe(after.round.hp.A);
    // The move by the attacker's own name for it, as the stream shows it.
    expect(hit.move).toBe(fight.options[1]!.fighter.moves[hit.kind]);

    const poll = await nextLiveRound(pollMatchup(3));
    const plain = await vote('C', await voterToken(`no-hit-${crypto.randomUUID().slice(0, 8)}`), { pollId: poll.pollId });
    expect(plain.status).toBe(200);
    const plainBody = (await plain.json()) as Record<string, unknown>;
    expect(plainBody.type).toBe('vote-accepted');
    expect(plainBody).not.toHaveProperty('hit');
  });

  it('counts 1,000 concurrent requests from 100 voters (with duplicates) exactly once each', async () => {
    // A plain poll has no KO, so the round stays open for the whole crowd.
    const { pollId } = await nextLiveRound(pollMatchup(3));
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => voterToken(`crowd-${i}-${crypto.randomUUID().slice(0, 6)}`)));
    // 10 requests per voter, mixed options and with/without pollId, all in flight at once.
    const requests = Array.from({ length: 1000 }, (_, i) => {
      const t = tokens[i % 100]!;
      return vote('ABC'[(i * 7) % 3]!, t, i % 2 ? { pollId } : {});
    });
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted).toBe(100);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 429)).toBe(true);
    const after = await currentPoll();
    expect(after.round.pollId).toBe(pollId);
    const tally = after.round.votes;
    expect((tally.A ?? 0) + (tally.B ?? 0) + (tally.C ?? 0)).toBe(100);
  });

  it('a KO in the middle of a burst: every vote answered 200 is in the tally, every one after the KO is refused', async () => {
    const { pollId } = await nextLiveRound(fightMatchup());
    const statuses: number[] = [];
    const codes = new Set<string>();
    // Waves of 100 concurrent votes for A (they join the room's batches) until B is knocked out.
    for (let wave = 0; wave < 40 && (await currentPoll()).round.phase === 'live'; wave++) {
      const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => voterToken(`ko-${wave}-${i}-${crypto.randomUUID().slice(0, 6)}`)));
      const responses = await Promise.all(tokens.map((t) => vote('A', t, { pollId })));
      for (const r of responses) {
        statuses.push(r.status);
        const body = (await r.json()) as { error?: { code: string } };
        if (body.error) codes.add(body.error.code);
      }
    }
    const after = await currentPoll();
    expect(after.round.pollId).toBe(pollId);
    expect(after.round.outcome).toMatchObject({ reason: 'ko', winner: 'A' });
    expect(after.round.hp.B).toBe(0);
    expect(after.round.votes.A).toBe(statuses.filter((s) => s === 200).length);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect([...codes]).toEqual(['not-live']);
  });

  it('keeps every accepted vote when the room is evicted mid-round', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const tokens = await Promise.all(Array.from({ length: 3 }, (_, i) => voterToken(`evict-${i}-${crypto.randomUUID().slice(0, 6)}`)));
    for (const t of tokens) expect((await vote('B', t, { pollId })).status).toBe(200);
    const before = await currentPoll();
    await evictDurableObject(room());
    const after = await currentPoll();
    expect(after.round.pollId).toBe(pollId);
    expect(after.round.votes).toEqual(before.round.votes);
    expect(after.round.hp).toEqual(before.round.hp);
    expect(after.seq).toBeGreaterThanOrEqual(before.seq);
    // And the dedupe survived too.
    expect((await vote('A', tokens[0])).status).toBe(409);
  });

  it('refuses a stale poll id without counting it', async () => {
    const before = await currentPoll();
    const res = await vote('A', await voterToken('stale-voter-01'), { pollId: 'p_doesnotexist' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('stale-poll');
    const after = await currentPoll();
    expect(after.round.votes).toEqual(before.round.votes);
  });

  it('refuses votes while the round is not live', async () => {
    await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
    const p = await currentPoll();
    expect(p.round.phase).not.toBe('live');
    const res = await vote('A', await voterToken('closed-voter-1'));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not-live');
  });

  it('rate-limits one voter hammering the API', async () => {
    const t = await voterToken(`hammer-${crypto.randomUUID().slice(0, 8)}`);
    // The voter limit is a fixed 10-s window (http/limits.ts): a burst split by its boundary would get a fresh
    // count halfway. Start where the window has at least 3 s left.
    const left = 10_000 - (Date.now() % 10_000);
    if (left < 3_000) await new Promise((r) => setTimeout(r, left + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await vote('A', t);
      statuses.push(r.status);
      await r.body?.cancel();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    const limited = await vote('A', t);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('an accepted vote costs at most 5 SQLite rows written in all (rows written are billed, index rows too): 200 concurrent voters', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(3));
    const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => voterToken(`rows-${i}-${crypto.randomUUID().slice(0, 6)}`)));
    // Every object of the Worker runs in this isolate and shares SqlStorage's prototype: count what each exec writes.
    const proto = await runInDurableObject(room(), (_arena, state) => Object.getPrototypeOf(state.storage.sql) as { exec: SqlStorage['exec'] });
    const exec = proto.exec;
    let written = 0;
    proto.exec = function (this: SqlStorage, ...args: Parameters<SqlStorage['exec']>) {
      const cursor = exec.apply(this, args);
      written += cursor.rowsWritten;
      return cursor;
    } as SqlStorage['exec'];
    try {
      const statuses = await Promise.all(tokens.map(async (t, i) => (await vote('ABC'[i % 3]!, t, { pollId })).status));
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      proto.exec = exec;
    }
    expect(written / 200).toBeLessThanOrEqual(5);
    expect(written / 200).toBeGreaterThanOrEqual(1);
    console.log(`rows written per accepted vote: ${(written / 200).toFixed(2)} (${written} for 200)`);
  });
});
