/**
 * Counting shards (edge/src/room/vote-shard.ts), run by the `workers-sharded` project (VOTE_SHARDS=4): votes reach
 * the room in numbered flushes, a flush sent again counts once, and a shard restarted part-way through a flush loses
 * and doubles nothing. vote.test.ts and admission.test.ts run on this path too (exactly once, KO mid-burst, caps).
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { hash32 } from '@stream-fighter/core/hash';
import type { ShardVote, VoteOutcome } from '../src/room/ballot-box.ts';
import type { ShardBook } from '../src/room/shard-book.ts';
import type { Arena } from '../src/room/arena.ts';
import type { ShardFlush, VoteShard } from '../src/room/vote-shard.ts';
import { call, currentPoll, goLive, nextLiveRound, OPERATOR, room, vote, voterToken } from './helpers.ts';

const SHARDS = Number((env as unknown as Record<string, string>).VOTE_SHARDS);
const shardNameOf = (voterId: string) => `${env.ROOM_NAME ?? 'main'}/votes/${hash32(voterId) % SHARDS}`;

function shard(name: string): DurableObjectStub<VoteShard> {
  const ns = env.VoteShard as unknown as DurableObjectNamespace<VoteShard>;
  return ns.get(ns.idFromName(name));
}

/** The room's record of each shard's last flush. */
async function flushesSeen(): Promise<Map<string, number>> {
  return runInDurableObject(room(), (_arena, state) => {
    const rows = state.storage.sql.exec<{ shard: string; seq: number }>(`SELECT shard, seq FROM shard_flushes`).toArray();
    return new Map(rows.map((r) => [r.shard, r.seq]));
  });
}

async function countedVoters(pollId: string): Promise<string[]> {
  return runInDurableObject(room(), (_arena, state) =>
    state.storage.sql.exec<{ voter_id: string }>(`SELECT voter_id FROM votes WHERE poll_id = ?`, pollId).toArray().map((r) => r.voter_id),
  );
}

const total = (votes: Record<string, number>) => Object.values(votes).reduce((a, n) => a + n, 0);
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}-${crypto.randomUUID().slice(0, 6)}`);

/** Voter ids that all land on one shard, and that shard's name. */
function votersOnOneShard(prefix: string, n: number): { name: string; voters: string[] } {
  const name = shardNameOf(`${prefix}-probe`);
  const voters: string[] = [];
  for (let i = 0; voters.length < n; i++) {
    const id = `${prefix}-${i}-${crypto.randomUUID().slice(0, 6)}`;
    if (shardNameOf(id) === name) voters.push(id);
  }
  return { name, voters };
}

describe('counting shards', () => {
  beforeEach(async () => {
    await goLive();
  });

  it('spreads voters over the shards by a hash of the voter id; the room takes their votes as numbered flushes', async () => {
    expect(SHARDS).toBe(4);
    const { pollId } = await nextLiveRound(pollMatchup(3));
    const before = await flushesSeen();
    const voters = ids('spread', 80);
    const statuses = await Promise.all(voters.map(async (id, i) => (await vote('ABC'[i % 3]!, await voterToken(id), { pollId })).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = await flushesSeen();
    const shardsUsed = new Set(voters.map(shardNameOf));
    expect(shardsUsed.size).toBe(4);
    for (const name of shardsUsed) expect(after.get(name) ?? 0).toBeGreaterThan(before.get(name) ?? 0);
    expect(new Set(await countedVoters(pollId))).toEqual(new Set(voters));
    expect(total((await currentPoll()).round.votes)).toBe(80);
  });

  it('a repeat is refused by the shard itself, without a flush to the room', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const id = ids('repeat', 1)[0]!;
    const token = await voterToken(id);
    expect((await vote('A', token, { pollId })).status).toBe(200);
    const before = await flushesSeen();
    const again = await vote('B', token, { pollId });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string; message: string } }).error.message).toContain('A');
    expect((await flushesSeen()).get(shardNameOf(id))).toBe(before.get(shardNameOf(id)));
  });

  it('a flush sent twice is counted once and answered the same; an older one, or the same number with other votes, is refused', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const votes: ShardVote[] = ids('twice', 3).map((voterId) => ({ voterId, option: 'A', pollId, castAt: Date.now() }));
    const name = `test-shard-${crypto.randomUUID().slice(0, 8)}`;
    const first = (await room().shardFlush({ shard: name, seq: 7, votes })) as { outcomes: VoteOutcome[] };
    expect(first.outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    const tally = (await currentPoll()).round.votes;
    expect(await room().shardFlush({ shard: name, seq: 7, votes })).toEqual(first);
    expect((await currentPoll()).round.votes).toEqual(tally);
    const fresh: ShardVote[] = ids('older', 2).map((voterId) => ({ voterId, option: 'B', pollId, castAt: Date.now() }));
    expect(await room().shardFlush({ shard: name, seq: 6, votes: fresh })).toEqual({ stale: true, last: 7 });
    // The same number with other votes is never answered with the first flush's outcomes.
    expect(await room().shardFlush({ shard: name, seq: 7, votes: fresh })).toEqual({ stale: true, last: 7 });
    expect((await currentPoll()).round.votes).toEqual(tally);
  });

  it('a shard restarted after the room applied its flush but before it heard back: the flush goes again, counted once', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const { name, voters } = votersOnOneShard('lost-answer', 4);
    const [late, ...inFlight] = voters;
    const votes: ShardVote[] = inFlight.map((voterId) => ({ voterId, option: 'B', pollId, castAt: Date.now() }));
    // The shard writes the flush down and sends it; the room applies it; the shard goes away before the answer.
    const seq = await runInDurableObject(shard(name), (instance: VoteShard) => (instance as unknown as { book: ShardBook }).book.begin(votes).seq);
    await room().shardFlush({ shard: name, seq, votes });
    await evictDurableObject(shard(name));
    const tally = (await currentPoll()).round.votes;
    expect(tally.B).toBe(3);
    // Woken by the next vote, the shard first sends the flush it left: the room answers it from its record.
    expect((await vote('A', await voterToken(late!), { pollId })).status).toBe(200);
    const after = (await currentPoll()).round.votes;
    expect(after).toEqual({ ...tally, A: (tally.A ?? 0) + 1 });
    // The shard learnt the flush's answer: the three are refused as repeats, by the shard.
    for (const id of inFlight) expect((await vote('A', await voterToken(id), { pollId })).status).toBe(409);
    expect((await flushesSeen()).get(name)).toBe(seq + 1);
    expect(await runInDurableObject(shard(name), (i: VoteShard) => (i as unknown as { book: ShardBook }).book.pending())).toBeNull();
  });

  it('a shard restarted before its flush reached the room: the alarm sends it, and its votes count once', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const { name, voters } = votersOnOneShard('never-sent', 3);
    const votes: ShardVote[] = voters.map((voterId) => ({ voterId, option: 'A', pollId, castAt: Date.now() }));
    await runInDurableObject(shard(name), (instance: VoteShard) => void (instance as unknown as { book: ShardBook }).book.begin(votes));
    await evictDurableObject(shard(name));
    const tally = (await currentPoll()).round.votes;
    // The restarted shard finds the flush and sets its alarm at once (run here rather than waited for).
    await runInDurableObject(shard(name), () => {});
    expect(await runDurableObjectAlarm(shard(name))).toBe(true);
    expect((await currentPoll()).round.votes.A).toBe((tally.A ?? 0) + 3);
    expect(await runDurableObjectAlarm(shard(name))).toBe(false);
    for (const id of voters) expect((await vote('B', await voterToken(id), { pollId })).status).toBe(409);
    expect((await currentPoll()).round.votes.A).toBe((tally.A ?? 0) + 3);
  });

  it('1,000 concurrent votes from 100 voters with duplicates, every shard restarted mid-flush: each voter counted exactly once', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(3));
    const voters = ids('burst', 100);
    const tokens = await Promise.all(voters.map(voterToken));
    // The room applies each flush and then holds its answer until the shards have been restarted: the flushes in
    // flight then are applied but never heard back by the shards that sent them.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const held = { count: 0 };
    // RPC calls only methods of the class, so the method is swapped on the prototype, and put back below.
    const proto = await runInDurableObject(room(), (arena: Arena) => Object.getPrototypeOf(arena) as { shardFlush: Arena['shardFlush'] });
    const apply = proto.shardFlush;
    proto.shardFlush = async function (this: Arena, f: ShardFlush) {
      const answer = apply.call(this, f);
      held.count++;
      await released;
      return answer;
    } as unknown as Arena['shardFlush'];
    const burst = Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const res = await vote('ABC'[(i * 7) % 3]!, tokens[i % 100]!, { pollId });
        await res.body?.cancel();
        return { voter: i % 100, status: res.status };
      }),
    );
    for (let waited = 0; held.count < 4; waited += 20) {
      if (waited > 10_000) throw new Error(`only ${held.count} flushes reached the room within 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Each shard is reset where it stands (as a crash or a code update would): its calls in flight fail.
    const resets = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        runInDurableObject(shard(`${env.ROOM_NAME ?? 'main'}/votes/${i}`), (_shard, state) => state.abort('restarted by the test')).then(
          () => 'not reset',
          (e: unknown) => String(e),
        ),
      ),
    );
    expect(resets.every((r) => r.includes('restarted by the test')), resets.join('; ')).toBe(true);
    proto.shardFlush = apply;
    release();
    const answers = await burst;
    const byStatus = answers.reduce((m: Record<number, number>, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {});
    expect(Object.keys(byStatus).map(Number).every((s) => [200, 409, 429, 503].includes(s)), JSON.stringify(byStatus)).toBe(true);
    // The restarts cut flushes off: their voters were told to try again (503), though the room had counted them.
    expect(byStatus[503] ?? 0, JSON.stringify(byStatus)).toBeGreaterThan(0);
    const acceptedBy = new Map<number, number>();
    for (const a of answers) if (a.status === 200) acceptedBy.set(a.voter, (acceptedBy.get(a.voter) ?? 0) + 1);
    expect([...acceptedBy.values()].every((n) => n === 1)).toBe(true);
    // Voters with no 200 try again until they are answered (a restarted shard sends its left flush first); their
    // burst used up their rate limit, so a retry may wait out its 10-s window.
    const unanswered = Array.from({ length: 100 }, (_, v) => v).filter((v) => !acceptedBy.has(v));
    const retried = await Promise.all(
      unanswered.map(async (v) => {
        let status = 0;
        for (let attempt = 0; attempt < 12 && ![200, 409].includes(status); attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 1_000));
          status = (await vote('A', tokens[v]!, { pollId })).status;
        }
        expect(status, `voter ${v} still refused with ${status} after 12 tries over 11 s`).toBeOneOf([200, 409]);
        return status;
      }),
    );
    // Those the held flushes carried were counted then: trying again they are told they already voted.
    expect(retried.filter((s) => s === 409).length).toBeGreaterThan(0);
    const counted = await countedVoters(pollId);
    expect(counted.length).toBe(100);
    expect(new Set(counted)).toEqual(new Set(voters));
    expect(total((await currentPoll()).round.votes)).toBe(100);
  });

  it("an erasure request makes the voter's shard forget them; the room still refuses their second vote in the live round", async () => {
    const { pollId } = await nextLiveRound(pollMatchup(2));
    const me = ids('erase', 1)[0]!;
    const token = await voterToken(me);
    expect((await vote('A', token, { pollId })).status).toBe(200);
    const before = (await flushesSeen()).get(shardNameOf(me));
    expect((await vote('B', token, { pollId })).status).toBe(409);
    expect((await flushesSeen()).get(shardNameOf(me))).toBe(before);
    expect((await call(`/api/voters/${me}`, { method: 'DELETE', headers: OPERATOR })).status).toBe(200);
    // Forgotten by the shard, the repeat now goes to the room, which keeps the live round's row until it ends.
    expect((await vote('B', token, { pollId })).status).toBe(409);
    expect((await flushesSeen()).get(shardNameOf(me))).toBe(before! + 1);
  });

  it('a vote without a poll id, cast before the round live now began and flushed only after, is refused, not counted', async () => {
    await nextLiveRound(pollMatchup(2));
    const before = (await currentPoll()).round.votes;
    const late: ShardVote[] = [{ voterId: ids('late', 1)[0]!, option: 'A', castAt: Date.now() - 60_000 }];
    const answer = (await room().shardFlush({ shard: `test-shard-${crypto.randomUUID().slice(0, 8)}`, seq: 1, votes: late })) as { outcomes: VoteOutcome[] };
    expect(answer.outcomes).toMatchObject([{ ok: false, code: 'stale-poll' }]);
    expect((await currentPoll()).round.votes).toEqual(before);
  });

  it('while the room refuses flushes, then comes back as the alarm resends: every 200 is counted, each voter once', async () => {
    const { pollId } = await nextLiveRound(pollMatchup(3));
    const { name, voters } = votersOnOneShard('outage', 25);
    const tokens = await Promise.all(voters.map(voterToken));
    const proto = await runInDurableObject(room(), (arena: Arena) => Object.getPrototypeOf(arena) as { shardFlush: Arena['shardFlush'] });
    const apply = proto.shardFlush;
    proto.shardFlush = function () {
      throw new Error('the room is overloaded (test)');
    } as unknown as Arena['shardFlush'];
    let first: number;
    try {
      // Three tries, then 503: the flush stays written down, and the shard's alarm is set.
      first = (await vote('A', tokens[0]!, { pollId })).status;
    } finally {
      proto.shardFlush = apply;
    }
    expect(first).toBe(503);
    // The room is back: the alarm's resend and new batches all at once. They take turns; none overtakes another.
    const [statuses] = await Promise.all([
      Promise.all(tokens.slice(1).map(async (t, i) => (await vote('ABC'[i % 3]!, t, { pollId })).status)),
      runDurableObjectAlarm(shard(name)),
    ]);
    expect(statuses.every((st) => st === 200 || st === 503)).toBe(true);
    // The room is back: new batches went through after the resend, in turn.
    expect(statuses.filter((st) => st === 200).length).toBeGreaterThan(0);
    const counted = new Set(await countedVoters(pollId));
    // Every 200 is in the room's votes; the first voter's flush, resent, counted them without a second try.
    voters.slice(1).forEach((v, i) => statuses[i] === 200 && expect(counted.has(v), v).toBe(true));
    expect(counted.has(voters[0]!)).toBe(true);
    expect((await vote('B', tokens[0]!, { pollId })).status).toBe(409);
    expect(total((await currentPoll()).round.votes)).toBe(counted.size);
  });
});
