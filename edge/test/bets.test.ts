/**
 * Play-money bets in the room (room/bet-book.ts) through the Worker: the betting window is the round's intro,
 * stakes leave the balance when placed, a finished round pays out exactly once (eviction included), and a crowd
 * of concurrent bets with duplicates leaves every balance exactly right.
 */
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { POINTS, settle, type BetAccepted, type OptionId, type RoundResult } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import type { Arena } from '../src/room/arena.ts';
import type { BetBook } from '../src/room/bet-book.ts';
import { bet, goLiveNow, introRound, me } from './bet-steps.ts';
import { addressOf, call, currentPoll, OPERATOR, postJson, room, shiftRoomClock, vote, voterToken, type PollView } from './helpers.ts';

type ErrorBody = { error: { code: string } };

/** The operator ends the live round now: the side with more HP wins (a vote for A hits B), equal is a tie. */
async function finishRound(): Promise<PollView> {
  await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
  const p = await currentPoll();
  if (p.round.phase !== 'finished') throw new Error(`round did not finish: ${p.round.phase}`);
  return p;
}

/** A viewer's session token; `idOf` gives back the voter id inside it (settle() breaks ties by bettor id). */
const ids = new Map<string, string>();
async function viewer(): Promise<string> {
  const id = `bettor-${crypto.randomUUID().slice(0, 12)}`;
  const token = await voterToken(id);
  ids.set(token, id);
  return token;
}
const idOf = (token: string) => ids.get(token) ?? token;

async function code(res: Response): Promise<string> {
  return ((await res.json()) as ErrorBody).error.code;
}

describe('POST /api/bet and GET /api/me', () => {
  it('GET /api/me needs a session', async () => {
    const res = await call('/api/me');
    expect(res.status).toBe(401);
    expect(await code(res)).toBe('voter-required');
    const fresh = await me(await viewer());
    expect(fresh).toMatchObject({ type: 'me', balance: POINTS.start, bet: null, lastResult: null });
  });

  it('a bet in the intro is accepted and its stake leaves the balance; once live, bets are closed', async () => {
    const round = await introRound();
    const t = await viewer();
    const res = await bet(t, { pollId: round.pollId, option: 'A', points: 250 });
    expect(res.status).toBe(200);
    const accepted = (await res.json()) as BetAccepted;
    expect(accepted).toMatchObject({ type: 'bet-accepted', bet: { pollId: round.pollId, option: 'A', points: 250 }, balance: POINTS.start - 250 });
    expect(accepted.odds).toMatchObject({ pollId: round.pollId, open: true, total: 250 });
    const mine = await me(t);
    expect(mine.balance).toBe(POINTS.start - 250);
    expect(mine.bet).toMatchObject({ pollId: round.pollId, option: 'A', points: 250 });
    expect(mine.odds.sides.find((s) => s.option === 'A')).toMatchObject({ pool: 250, bettors: 1, multiplier: 1 });

    await goLiveNow();
    const late = await viewer();
    const refused = await bet(late, { pollId: round.pollId, option: 'B', points: 10 });
    expect(refused.status).toBe(409);
    expect(await code(refused)).toBe('bets-closed');
    expect((await me(late)).balance).toBe(POINTS.start);
    expect((await me(t)).odds).toMatchObject({ open: false, total: 250 });
  });

  it('refuses a stake over the balance, a second bet, a stale poll and bad input, changing nothing', async () => {
    const round = await introRound();
    const t = await viewer();
    const over = await bet(t, { pollId: round.pollId, option: 'A', points: POINTS.start + 1 });
    expect(over.status).toBe(409);
    expect(await code(over)).toBe('over-balance');
    expect(await me(t)).toMatchObject({ balance: POINTS.start, bet: null });
    expect((await me(t)).odds.total).toBe(0);

    for (const [body, status, err] of [
      [{ pollId: round.pollId, option: 'A', points: 0 }, 400, 'invalid-body'],
      [{ pollId: round.pollId, option: 'A', points: 1.5 }, 400, 'invalid-body'],
      [{ pollId: round.pollId, option: 'A', points: -5 }, 400, 'invalid-body'],
      [{ option: 'A', points: 5 }, 400, 'invalid-body'],
      [{ pollId: round.pollId, option: 'C', points: 5 }, 400, 'unknown-option'],
      [{ pollId: 'p_doesnotexist', option: 'A', points: 5 }, 409, 'stale-poll'],
    ] as const) {
      const res = await bet(t, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(await code(res)).toBe(err);
    }
    expect(await me(t)).toMatchObject({ balance: POINTS.start, bet: null });

    expect((await bet(t, { pollId: round.pollId, option: 'B', points: POINTS.start })).status).toBe(200);
    const again = await bet(t, { pollId: round.pollId, option: 'A', points: 1 });
    expect(again.status).toBe(409);
    expect(await code(again)).toBe('already-bet');
    expect(await me(t)).toMatchObject({ balance: 0, bet: { option: 'B', points: POINTS.start } });
  });

  it('follows the vote\'s rules: cross-site refused, a new voter must bring a proof', async () => {
    const round = await introRound();
    const cross = await postJson('/api/bet', { pollId: round.pollId, option: 'A', points: 5 }, { origin: 'https://evil.example', 'x-voter-token': await viewer() });
    expect(cross.status).toBe(403);
    expect(await code(cross)).toBe('cross-site');
    const anonymous = await postJson('/api/bet', { pollId: round.pollId, option: 'A', points: 5 }, { 'cf-connecting-ip': addressOf('anon-bettor') });
    expect(anonymous.status).toBe(401);
    expect(await code(anonymous)).toBe('challenge-required');
  });

  it('a finished round pays the winners as settle() says, conserving points, and a broke loser is bailed out', async () => {
    const round = await introRound();
    const stakes: Array<[OptionId, number]> = [['A', 300], ['A', 100], ['A', 7], ['B', 1000], ['B', 333]];
    const tokens = await Promise.all(stakes.map(() => viewer()));
    for (const [i, [option, points]] of stakes.entries()) expect((await bet(tokens[i]!, { pollId: round.pollId, option, points })).status).toBe(200);
    await goLiveNow();
    // One vote for A is a hit on B: A has more HP when the operator ends the round, so A wins.
    expect((await vote('A', await viewer(), { pollId: round.pollId })).status).toBe(200);
    const done = await finishRound();
    expect(done.round.outcome).toMatchObject({ winner: 'A' });

    const expected = settle(stakes.map(([option, stake], i) => ({ bettor: idOf(tokens[i]!), option, stake })), 'A');
    expect(expected.kind).toBe('paid');
    const mine = await Promise.all(tokens.map((t) => me(t)));
    let paid = 0;
    for (const [i, p] of expected.payouts.entries()) {
      const bailedOut = Math.max(0, POINTS.floor - (POINTS.start - p.stake + p.payout));
      expect(mine[i]!.balance, `bettor ${i}`).toBe(POINTS.start - p.stake + p.payout + bailedOut);
      expect(mine[i]!.bet).toBeNull();
      expect(mine[i]!.lastResult).toMatchObject({ pollId: round.pollId, payout: p.payout, net: p.net, winner: 'A', refund: null, bailout: bailedOut });
      paid += p.payout;
    }
    expect(paid).toBe(stakes.reduce((s, [, stake]) => s + stake, 0));
    // The one who staked everything on B and lost is back at the floor.
    expect(mine[3]!.balance).toBe(POINTS.floor);
  });

  it('a tie refunds every stake', async () => {
    const round = await introRound();
    const [a, b] = [await viewer(), await viewer()];
    expect((await bet(a, { pollId: round.pollId, option: 'A', points: 400 })).status).toBe(200);
    expect((await bet(b, { pollId: round.pollId, option: 'B', points: 40 })).status).toBe(200);
    await goLiveNow();
    // No votes: equal HP and equal votes, a tie.
    const done = await finishRound();
    expect(done.round.outcome).toMatchObject({ winner: null });
    for (const t of [a, b]) expect(await me(t)).toMatchObject({ balance: POINTS.start, bet: null, lastResult: { refund: 'tie', net: 0, winner: null } });
  });

  it('the room evicted right after the round finishes: nothing paid twice, nothing lost', async () => {
    const round = await introRound();
    const [winner, loser] = [await viewer(), await viewer()];
    expect((await bet(winner, { pollId: round.pollId, option: 'A', points: 200 })).status).toBe(200);
    expect((await bet(loser, { pollId: round.pollId, option: 'B', points: 500 })).status).toBe(200);
    // Evicted with the bets riding: they are still there.
    await evictDurableObject(room());
    expect(await me(winner)).toMatchObject({ balance: 800, bet: { points: 200 } });
    await shiftRoomClock(-60_000);
    await goLiveNow();
    expect((await vote('A', await viewer(), { pollId: round.pollId })).status).toBe(200);
    await finishRound();
    await evictDurableObject(room());
    const after = [await me(winner), await me(loser)];
    expect(after.map((m) => m.balance)).toEqual([POINTS.start + 500, 500]);

    // Settling the same round again (a replayed archive step) pays nothing.
    await runInDurableObject(room(), (arena: Arena) => {
      const inside = arena as unknown as { bets: BetBook; runner: { previous: RoundResult | null } };
      const previous = inside.runner.previous;
      if (previous?.pollId !== round.pollId) throw new Error(`previous round is ${previous?.pollId}, expected ${round.pollId}`);
      inside.bets.settle(previous);
    });
    // And the rounds after it do not settle it again either.
    await introRound();
    await goLiveNow();
    await finishRound();
    await evictDurableObject(room());
    expect([(await me(winner)).balance, (await me(loser)).balance]).toEqual([POINTS.start + 500, 500]);
  });

  it("an erasure request takes the voter's balance and bets with it, the open one out of the pools", async () => {
    const round = await introRound();
    const [gone, stays] = [await viewer(), await viewer()];
    expect((await bet(gone, { pollId: round.pollId, option: 'A', points: 100 })).status).toBe(200);
    expect((await bet(stays, { pollId: round.pollId, option: 'B', points: 30 })).status).toBe(200);
    const removed = await runInDurableObject(room(), (arena: Arena) => (arena as unknown as { bets: BetBook }).bets.forget(idOf(gone)));
    expect(removed).toBe(2);
    expect(await me(gone)).toMatchObject({ balance: POINTS.start, bet: null, odds: { total: 30 } });
    expect(await me(stays)).toMatchObject({ balance: POINTS.start - 30, bet: { points: 30 } });
  });

  it('1,000 concurrent bets from 200 viewers with duplicates: each balance exactly right, before and after settlement', async () => {
    const round = await introRound({ holdMs: 120_000 });
    const tokens = await Promise.all(Array.from({ length: 200 }, () => viewer()));
    // Five bets per viewer, all in flight at once: options and stakes differ, so a wrong one would show.
    const requests = Array.from({ length: 1000 }, (_, i) => {
      const v = i % 200;
      const option: OptionId = (i * 7 + v) % 2 ? 'A' : 'B';
      return { v, option, points: 1 + ((i * 37) % 1000) };
    });
    const responses = await Promise.all(requests.map((r) => bet(tokens[r.v]!, { pollId: round.pollId, option: r.option, points: r.points })));
    const accepted = new Map<number, { option: OptionId; points: number }>();
    for (const [i, res] of responses.entries()) {
      if (res.status === 200) {
        const body = (await res.json()) as BetAccepted;
        const r = requests[i]!;
        expect(accepted.has(r.v), `viewer ${r.v} accepted twice`).toBe(false);
        expect(body.bet).toMatchObject({ option: r.option, points: r.points });
        accepted.set(r.v, { option: r.option, points: r.points });
      } else {
        expect(res.status).toBe(409);
        expect(await code(res)).toBe('already-bet');
      }
    }
    expect(accepted.size).toBe(200);
    const before = await Promise.all(tokens.map((t) => me(t)));
    for (const [v, m] of before.entries()) {
      expect(m.balance, `viewer ${v}`).toBe(POINTS.start - accepted.get(v)!.points);
      expect(m.bet).toMatchObject(accepted.get(v)!);
    }
    const pools = before[0]!.odds;
    expect(pools.total).toBe([...accepted.values()].reduce((s, b) => s + b.points, 0));

    await goLiveNow();
    expect((await vote('B', await viewer(), { pollId: round.pollId })).status).toBe(200);
    expect((await finishRound()).round.outcome).toMatchObject({ winner: 'B' });
    const expected = settle(
      tokens.map((t, v) => ({ bettor: idOf(t), option: accepted.get(v)!.option, stake: accepted.get(v)!.points })),
      'B',
    );
    const after = await Promise.all(tokens.map((t) => me(t)));
    let total = 0;
    for (const [v, p] of expected.payouts.entries()) {
      const raw = POINTS.start - p.stake + p.payout;
      expect(after[v]!.balance, `viewer ${v}`).toBe(Math.max(raw, POINTS.floor));
      expect(after[v]!.lastResult).toMatchObject({ payout: p.payout, net: p.net });
      total += p.payout;
    }
    expect(total).toBe(pools.total);
  });

  it('a balance no session can name any more (unchanged for longer than a session lives) is pruned when a poll settles; one whose bet settles in that step stays', async () => {
    const round = await introRound();
    const [old, riding] = [await viewer(), await viewer()];
    for (const t of [old, riding]) expect((await bet(t, { pollId: round.pollId, option: 'A', points: 10 })).status).toBe(200);
    const longAgo = Date.now() - 40 * 24 * 3600 * 1000;
    const rows = () =>
      runInDurableObject(room(), (_arena: Arena, state) =>
        state.storage.sql.exec<{ voter_id: string }>(`SELECT voter_id FROM bet_balances WHERE voter_id IN (?, ?)`, idOf(old), idOf(riding)).toArray().map((r) => r.voter_id),
      );
    await goLiveNow();
    await finishRound();
    // Both settled; then `old` ages past a session's life, and `riding` bets again and also looks old.
    const next = await introRound();
    expect((await bet(riding, { pollId: next.pollId, option: 'B', points: 5 })).status).toBe(200);
    await runInDurableObject(room(), (_arena: Arena, state) => void state.storage.sql.exec(`UPDATE bet_balances SET last_at = ? WHERE voter_id IN (?, ?)`, longAgo, idOf(old), idOf(riding)));
    expect(new Set(await rows())).toEqual(new Set([idOf(old), idOf(riding)]));
    await goLiveNow();
    // The riding bet is settled in this step too, and written back (last_at now): it stays; the idle one goes.
    await finishRound();
    expect(await rows()).toEqual([idOf(riding)]);
  });

  it('a voter\'s bets and balance reads are limited (each is a call to the one room): past 10 in 10 s, 429 rate-limited', async () => {
    const token = await viewer();
    // The limiter's sliding window is counted in fixed 10 s slots: calls that straddle two slots get part of the
    // first one's count back. Start with at least 4 s of the slot left (a wait of at most 4 s), so all 12 land in one.
    const intoSlot = Date.now() % 10_000;
    if (intoSlot > 6_000) await new Promise((ok) => setTimeout(ok, 10_000 - intoSlot + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call('/api/me', { headers: { 'x-voter-token': token } })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const refused = await call('/api/me', { headers: { 'x-voter-token': token } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await code(refused)).toBe('rate-limited');
  });
});

describe('betting while the next match is announced', () => {
  /** Finish the live round (intro or live) and hold the room in its finish card, with the next round fixed. */
  async function announced(): Promise<{ finished: PollView; next: { pollId: string; title: string } }> {
    await introRound();
    await goLiveNow();
    const finished = await finishRound();
    await shiftRoomClock(-60_000);
    const snap = await runInDurableObject(room(), (arena: Arena) => (arena as unknown as { snapshot(): import('@stream-fighter/core').Snapshot }).snapshot());
    if (!snap.upNext || !snap.odds) throw new Error('no match announced after the round finished');
    return { finished, next: { pollId: snap.odds.pollId, title: snap.upNext.title } };
  }

  it('the next match has its poll id once the round before it finishes: bets on it are taken until it goes live, and settled when it ends', async () => {
    const { finished, next } = await announced();
    expect(next.pollId).not.toBe(finished.round.pollId);
    const t = await viewer();
    const late = await bet(t, { pollId: finished.round.pollId, option: 'A', points: 10 });
    expect(late.status, 'the finished round takes no bets').toBe(409);
    expect(await code(late)).toBe('bets-closed');
    const res = await bet(t, { pollId: next.pollId, option: 'B', points: 300 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as BetAccepted).odds).toMatchObject({ pollId: next.pollId, open: true, total: 300 });
    const second = await viewer();
    expect((await bet(second, { pollId: next.pollId, option: 'A', points: 100 })).status).toBe(200);

    // An operator's queue change does not change the match bets were placed on: with the queue emptied and another
    // fight put first, the announced one still opens.
    const q = (await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: Array<{ id: number }> };
    for (const item of q.queue) await call(`/api/poll/queue/${item.id}`, { method: 'DELETE', headers: OPERATOR });
    const other = { ...fightMatchup(), title: 'Queued Late vs Not Announced' };
    expect((await postJson('/api/poll/queue', other, OPERATOR)).status).toBe(201);
    await shiftRoomClock(60_000 + 13_000);
    const opened = await currentPoll();
    expect(opened.round.pollId, 'the announced match is the one that opens').toBe(next.pollId);
    expect((opened.round.matchup as { title?: string }).title).toBe(next.title);
    expect(opened.round.phase).toBe('upcoming');
    // Still open in its intro, for the same book.
    expect((await bet(await viewer(), { pollId: next.pollId, option: 'A', points: 50 })).status).toBe(200);
    expect((await me(t)).odds).toMatchObject({ pollId: next.pollId, total: 450 });

    await goLiveNow();
    expect(await code(await bet(await viewer(), { pollId: next.pollId, option: 'A', points: 5 }))).toBe('bets-closed');
    // Nobody votes: a tie refunds every stake, once.
    await finishRound();
    expect((await me(t)).balance).toBe(POINTS.start);
    expect((await me(t)).lastResult).toMatchObject({ pollId: next.pollId, refund: 'tie' });
  });

  it('STREAM_DELAY_MS lengthens the intro, where bets close, by the stream delay', async () => {
    const plain = await introRound();
    const intro = plain.liveAt - plain.phaseAt;
    await runInDurableObject(room(), (arena: Arena) => {
      (arena as unknown as { config: { STREAM_DELAY_MS: number } }).config.STREAM_DELAY_MS = 7_000;
    });
    try {
      await goLiveNow();
      await finishRound();
      const snap = await runInDurableObject(room(), (arena: Arena) => (arena as unknown as { snapshot(): import('@stream-fighter/core').Snapshot }).snapshot());
      const closes = snap.odds!.closesAt;
      expect(snap.odds!.streamDelayMs, 'the stream is told the delay with the odds').toBe(7_000);
      // To just past the results' end (finish card 4 s + results 8 s): the next round opens when the room ticks.
      await shiftRoomClock(12_001);
      const delayed = await currentPoll();
      expect(delayed.round.phase).toBe('upcoming');
      expect(delayed.round.liveAt - delayed.round.phaseAt).toBe(intro + 7_000);
      // The announced closing time was the delayed one (the round opens at the tick, a few ms past its time here).
      expect(Math.abs(closes - delayed.round.liveAt)).toBeLessThan(500);
    } finally {
      await runInDurableObject(room(), (arena: Arena) => {
        (arena as unknown as { config: { STREAM_DELAY_MS: number } }).config.STREAM_DELAY_MS = 0;
      });
    }
  });
});
