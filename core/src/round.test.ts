import { describe, it, expect } from 'vitest';
import { MAX_HP, PHASE_MS, RECENT_HITS, RoundState } from './round-state.ts';
import { attackKindFor, canVote, damageFor, decide, isFight, nextDeadline, reduce, startRound, timeLeftMs } from './round.ts';
import { matchupOf } from '../fixtures/matchups.ts';
import { deepFreeze, play, unanimous, votes } from '../fixtures/round-play.ts';

const T0 = 1_700_000_000_000;
const fight = (audience = 100, durationSec = 60) => deepFreeze(startRound({ pollId: 'p_test', matchup: matchupOf(2, durationSec), now: T0, audience }));
const LIVE = T0 + PHASE_MS.intro;
const END = LIVE + 60_000;

describe('startRound', () => {
  it('starts upcoming with full HP, no votes and the clock set from the matchup', () => {
    const s = fight(100);
    expect(RoundState.parse(s)).toEqual(s);
    expect(s).toMatchObject({ phase: 'upcoming', phaseAt: T0, liveAt: LIVE, endsAt: END, hp: { A: MAX_HP, B: MAX_HP }, votes: { A: 0, B: 0 }, hitCount: 0, hits: [], outcome: null, audience: 100 });
  });

  it('keeps the audience an integer of at least MIN_AUDIENCE', () => {
    expect(startRound({ pollId: 'p', matchup: matchupOf(2), now: 0, audience: 0 }).audience).toBe(5);
    expect(startRound({ pollId: 'p', matchup: matchupOf(2), now: 0, audience: Number.NaN }).audience).toBe(5);
    expect(startRound({ pollId: 'p', matchup: matchupOf(2), now: 0, audience: 41.6 }).audience).toBe(42);
  });
});

describe('phase lengths', () => {
  it('are carried by the round: a room set to short cards runs its rounds on them', () => {
    const phaseMs = { intro: 1000, finish: 2000, results: 500 };
    const s0 = startRound({ pollId: 'p', matchup: matchupOf(2, 60), now: T0, audience: 100, phaseMs });
    expect(RoundState.parse(s0).phaseMs).toEqual(phaseMs);
    expect(s0.liveAt).toBe(T0 + 1000);
    const played = play(s0, [
      { at: T0 + 1000, event: { type: 'tick' } },
      { at: T0 + 1500, event: { type: 'rotate' } },
      { at: T0 + 3499, event: { type: 'tick' } },
      { at: T0 + 3500, event: { type: 'tick' } },
      { at: T0 + 4000, event: { type: 'tick' } },
    ]);
    expect(played.map((r) => r.state.phase)).toEqual(['live', 'finished', 'finished', 'results', 'results']);
    expect(played.at(-1)!.effects).toEqual([{ type: 'next' }]);
    expect(played.at(-2)!.effects).toEqual([]);
  });

  it('are the defaults for a round stored before rounds carried them', () => {
    const { phaseMs: _, ...old } = fight();
    const stored = RoundState.parse(old);
    expect(stored.phaseMs).toBeUndefined();
    const finished = reduce(stored, { type: 'rotate' }, LIVE + 1).state;
    expect(nextDeadline(finished)).toBe(LIVE + 1 + PHASE_MS.finish);
    expect(nextDeadline(reduce(finished, { type: 'tick' }, LIVE + 1 + PHASE_MS.finish).state)).toBe(LIVE + 1 + PHASE_MS.finish + PHASE_MS.results);
  });
});

describe('a round timeline', () => {
  it('goes upcoming → live → finished → results → next, each at its scheduled time', () => {
    const s0 = fight();
    const early = reduce(s0, { type: 'tick' }, LIVE - 1);
    expect(early.state).toBe(s0);
    expect(early.effects).toEqual([]);

    const [live, hit, timeout, results, next, again] = play(s0, [
      { at: LIVE, event: { type: 'tick' } },
      { at: LIVE + 1_000, event: votes('A', 'A', 'B') },
      { at: END + 250, event: { type: 'tick' } },
      { at: END + PHASE_MS.finish + 10, event: { type: 'tick' } },
      { at: END + PHASE_MS.finish + PHASE_MS.results, event: { type: 'tick' } },
      { at: END + PHASE_MS.finish + PHASE_MS.results + 5_000, event: { type: 'tick' } },
    ]);
    expect(live!.state).toMatchObject({ phase: 'live', phaseAt: LIVE });
    expect(live!.effects).toEqual([]);

    expect(hit!.state.votes).toEqual({ A: 2, B: 1 });
    expect(hit!.state.hitCount).toBe(3);
    expect(hit!.state.hits.map((h) => [h.n, h.attacker, h.target, h.at])).toEqual([
      [1, 'A', 'B', LIVE + 1_000],
      [2, 'A', 'B', LIVE + 1_000],
      [3, 'B', 'A', LIVE + 1_000],
    ]);
    const dmg = (n: number) => damageFor(100, attackKindFor('p_test', n));
    expect(hit!.state.hp).toEqual({ A: MAX_HP - dmg(3), B: MAX_HP - dmg(1) - dmg(2) });

    // The clock ran out at END even though the tick came 250 ms late.
    expect(timeout!.state).toMatchObject({ phase: 'finished', phaseAt: END, outcome: { reason: 'timeout', winner: 'A' } });
    expect(timeout!.effects).toEqual([
      {
        type: 'archive',
        result: { pollId: 'p_test', matchup: s0.matchup, votes: { A: 2, B: 1 }, hp: hit!.state.hp, outcome: { reason: 'timeout', winner: 'A' }, startedAt: LIVE, finishedAt: END, totalVotes: 3 },
      },
    ]);

    expect(results!.state).toMatchObject({ phase: 'results', phaseAt: END + PHASE_MS.finish });
    expect(results!.effects).toEqual([]);

    // `next` is level-triggered: every call once results have expired emits it, and the state stays put.
    expect(next!.effects).toEqual([{ type: 'next' }]);
    expect(next!.state).toBe(results!.state);
    expect(again!.effects).toEqual([{ type: 'next' }]);
    expect(again!.state).toBe(results!.state);
  });

  it('walks through every due phase in one tick after a long sleep, at the scheduled times', () => {
    const s0 = fight();
    const r = reduce(s0, { type: 'tick' }, END + 3_600_000);
    expect(r.state).toMatchObject({ phase: 'results', phaseAt: END + PHASE_MS.finish, outcome: { reason: 'timeout', winner: null } });
    expect(r.effects.map((e) => e.type)).toEqual(['archive', 'next']);
    expect(r.effects[0]).toMatchObject({ result: { finishedAt: END, startedAt: LIVE, totalVotes: 0 } });
  });

  it('goes live at liveAt even when the tick that notices comes late', () => {
    const r = reduce(fight(), { type: 'tick' }, LIVE + 1_234);
    expect(r.state).toMatchObject({ phase: 'live', phaseAt: LIVE });
    expect(r.effects).toEqual([]);
    expect(timeLeftMs(r.state, LIVE + 1_234)).toBe(60_000 - 1_234);
  });

  it('stops a tick between phases: live → finished only, when the finish card is still showing', () => {
    const r = reduce(fight(), { type: 'tick' }, END + PHASE_MS.finish - 1);
    expect(r.state).toMatchObject({ phase: 'finished', phaseAt: END });
    expect(r.effects.map((e) => e.type)).toEqual(['archive']);
  });

  it('reports the deadline of each phase', () => {
    const [live, fin, res] = play(fight(), [
      { at: LIVE, event: { type: 'tick' } },
      { at: END, event: { type: 'tick' } },
      { at: END + PHASE_MS.finish, event: { type: 'tick' } },
    ]);
    expect(nextDeadline(fight())).toBe(LIVE);
    expect(nextDeadline(live!.state)).toBe(END);
    expect(nextDeadline(fin!.state)).toBe(END + PHASE_MS.finish);
    expect(nextDeadline(res!.state)).toBe(END + PHASE_MS.finish + PHASE_MS.results);
  });

  it('keeps the clock within the round', () => {
    const s0 = fight();
    const live = reduce(s0, { type: 'tick' }, LIVE).state;
    expect(timeLeftMs(s0, T0)).toBe(60_000);
    expect(timeLeftMs(live, LIVE)).toBe(60_000);
    expect(timeLeftMs(live, LIVE - 10_000)).toBe(60_000);
    expect(timeLeftMs(live, LIVE + 15_500)).toBe(44_500);
    expect(timeLeftMs(live, END + 1)).toBe(0);
    expect(timeLeftMs(reduce(live, { type: 'tick' }, END).state, END - 5)).toBe(0);
  });
});

describe('votes', () => {
  const live = () => deepFreeze(reduce(fight(), { type: 'tick' }, LIVE).state);

  it('are ignored before the round is live and after it finished', () => {
    const s0 = fight();
    expect(reduce(s0, votes('A'), LIVE - 1)).toEqual({ state: s0, effects: [] });
    const finished = reduce(live(), { type: 'rotate' }, LIVE + 10).state;
    expect(reduce(finished, votes('A', 'B'), LIVE + 20).state).toBe(finished);
  });

  it('are ignored for options the matchup does not have', () => {
    const s = live();
    const r = reduce(s, votes('C', 'D', 'E', '', 'toString'), LIVE + 1);
    expect(r).toEqual({ state: s, effects: [] });
    expect(reduce(s, votes('C', 'B', 'E'), LIVE + 1).state.votes).toEqual({ A: 0, B: 1 });
  });

  it('in a batch that arrives past endsAt finish the round at endsAt first, then are ignored', () => {
    const s = reduce(live(), votes('B'), LIVE + 100).state;
    const r = reduce(s, unanimous('A', 10), END + 1);
    expect(r.state).toMatchObject({ phase: 'finished', phaseAt: END, votes: { A: 0, B: 1 }, outcome: { reason: 'timeout', winner: 'B' } });
    expect(r.effects).toHaveLength(1);
    expect(reduce(live(), votes('A'), END).state.votes).toEqual({ A: 0, B: 0 });
  });

  it('keep only the last RECENT_HITS hits, numbered by the running count', () => {
    const r = reduce(fight(1_000_000), { type: 'tick' }, LIVE);
    const after = reduce(r.state, unanimous('B', 40), LIVE + 5);
    expect(after.state.hitCount).toBe(40);
    expect(after.state.hits.map((h) => h.n)).toEqual(Array.from({ length: RECENT_HITS }, (_, i) => 40 - RECENT_HITS + 1 + i));
    expect(after.state.hits.every((h) => h.attacker === 'B' && h.target === 'A')).toBe(true);
  });

  it('treat a clock that stepped back as the phase start', () => {
    const s = live();
    const r = reduce(s, votes('A'), LIVE - 60_000);
    expect(r.state.hits[0]!.at).toBe(LIVE);
    expect(r.state.phase).toBe('live');
  });
});

describe('KO', () => {
  it('ends the round at the hit that takes HP to 0 and ignores the rest of the batch', () => {
    const live = reduce(fight(5), { type: 'tick' }, LIVE).state;
    const r = reduce(live, unanimous('A', 50), LIVE + 2_000);
    expect(r.state.phase).toBe('finished');
    expect(r.state.phaseAt).toBe(LIVE + 2_000);
    expect(r.state.outcome).toEqual({ reason: 'ko', winner: 'A' });
    expect(r.state.hp).toEqual({ A: MAX_HP, B: 0 });
    expect(r.state.votes.A).toBe(r.state.hitCount);
    expect(r.state.hitCount).toBeGreaterThanOrEqual(4);
    expect(r.state.hitCount).toBeLessThanOrEqual(5);
    // The last hit only takes what was left.
    expect(r.state.hits.reduce((sum, h) => sum + h.damage, 0)).toBe(MAX_HP);
    expect(r.effects).toEqual([{ type: 'archive', result: expect.objectContaining({ outcome: { reason: 'ko', winner: 'A' }, finishedAt: LIVE + 2_000, totalVotes: r.state.hitCount }) }]);
  });

  it('lands for a unanimous 5 000-voter crowd before all of it has voted, and not in 3 hits', () => {
    let s = reduce(fight(5_000), { type: 'tick' }, LIVE).state;
    let koAt = 0;
    for (let i = 1; i <= 5_000 && s.phase === 'live'; i++) {
      s = reduce(s, votes('B'), LIVE + i).state;
      koAt = i;
    }
    expect(s.outcome).toEqual({ reason: 'ko', winner: 'B' });
    expect(koAt).toBe(s.hitCount);
    expect(koAt).toBeGreaterThan(3);
    expect(koAt).toBeLessThan(5_000);
    expect(koAt).toBeGreaterThan(0.7 * 5_000);
  });
});

describe('rotate', () => {
  it('ends a live round now, by the timeout rule', () => {
    const live = reduce(fight(), { type: 'tick' }, LIVE).state;
    const hit = reduce(live, votes('B', 'B'), LIVE + 1).state;
    const r = reduce(hit, { type: 'rotate' }, LIVE + 30_000);
    expect(r.state).toMatchObject({ phase: 'finished', phaseAt: LIVE + 30_000, outcome: { reason: 'rotate', winner: 'B' } });
    expect(r.effects).toEqual([{ type: 'archive', result: expect.objectContaining({ startedAt: LIVE, finishedAt: LIVE + 30_000 }) }]);
    expect(nextDeadline(r.state)).toBe(LIVE + 30_000 + PHASE_MS.finish);
  });

  it('ends an upcoming round as a tie that never went live', () => {
    const r = reduce(fight(), { type: 'rotate' }, T0 + 1_000);
    expect(r.state).toMatchObject({ phase: 'finished', phaseAt: T0 + 1_000, outcome: { reason: 'rotate', winner: null } });
    expect(r.effects).toEqual([{ type: 'archive', result: expect.objectContaining({ startedAt: T0 + 1_000, finishedAt: T0 + 1_000, totalVotes: 0 }) }]);
  });

  it('is a no-op once the round has finished, and a late one lets the clock win', () => {
    const late = reduce(fight(), { type: 'rotate' }, END + 10);
    expect(late.state.outcome?.reason).toBe('timeout');
    expect(late.effects).toHaveLength(1);
    const again = reduce(late.state, { type: 'rotate' }, END + 20);
    expect(again).toEqual({ state: late.state, effects: [] });
  });
});

describe('the tie rule', () => {
  const at = (hp: Record<string, number>, v: Record<string, number>, n: 2 | 3 | 4 = 2) =>
    deepFreeze({ ...reduce(startRound({ pollId: 'p', matchup: matchupOf(n), now: 0, audience: 10 }), { type: 'tick' }, PHASE_MS.intro).state, hp, votes: v });

  it('higher HP wins, then more votes, then it is a tie', () => {
    expect(reduce(at({ A: 10, B: 20 }, { A: 9, B: 1 }), { type: 'tick' }, 1e12).state.outcome).toEqual({ reason: 'timeout', winner: 'B' });
    expect(reduce(at({ A: 20, B: 20 }, { A: 3, B: 2 }), { type: 'rotate' }, PHASE_MS.intro + 1).state.outcome).toEqual({ reason: 'rotate', winner: 'A' });
    expect(reduce(at({ A: 20, B: 20 }, { A: 3, B: 3 }), { type: 'tick' }, 1e12).state.outcome).toEqual({ reason: 'timeout', winner: null });
  });

  it('in a plain poll: most votes wins, an equal top is a tie, and nobody takes damage', () => {
    const live = reduce(startRound({ pollId: 'p', matchup: matchupOf(3), now: 0, audience: 5 }), { type: 'tick' }, PHASE_MS.intro).state;
    const voted = reduce(live, votes('A', 'B', 'C', 'C', 'B', 'C', 'D'), PHASE_MS.intro + 1).state;
    expect(voted.hp).toEqual({ A: MAX_HP, B: MAX_HP, C: MAX_HP });
    expect(voted.votes).toEqual({ A: 1, B: 2, C: 3 });
    expect(voted.hitCount).toBe(0);
    expect(voted.hits).toEqual([]);
    expect(reduce(voted, { type: 'tick' }, 1e12).state.outcome).toEqual({ reason: 'timeout', winner: 'C' });
    const tied = reduce(voted, votes('B'), PHASE_MS.intro + 2).state;
    expect(reduce(tied, { type: 'tick' }, 1e12).state.outcome).toEqual({ reason: 'timeout', winner: null });
  });

  it('a plain poll never ends by KO however many vote', () => {
    const live = reduce(startRound({ pollId: 'p', matchup: matchupOf(4), now: 0, audience: 5 }), { type: 'tick' }, PHASE_MS.intro).state;
    const r = reduce(live, unanimous('D', 10_000), PHASE_MS.intro + 1);
    expect(r.state.phase).toBe('live');
    expect(r.state.votes.D).toBe(10_000);
    expect(r.effects).toEqual([]);
  });

  it('decide picks a unique best and returns null on a shared best', () => {
    expect(decide({ matchup: matchupOf(4), hp: { A: 1, B: 1, C: 1, D: 1 }, votes: { A: 1, B: 7, C: 7, D: 2 } })).toBeNull();
    expect(decide({ matchup: matchupOf(4), hp: { A: 1, B: 1, C: 1, D: 1 }, votes: { A: 1, B: 7, C: 8, D: 2 } })).toBe('C');
    expect(decide({ matchup: matchupOf(4), hp: { A: 1, B: 1, C: 1, D: 1 }, votes: { A: 9, B: 7, C: 8, D: 9 } })).toBeNull();
  });
});

describe('canVote and isFight', () => {
  it('allow votes only while live and only for the matchup options', () => {
    const s0 = fight();
    const live = reduce(s0, { type: 'tick' }, LIVE).state;
    expect(canVote(s0, 'A')).toBe(false);
    expect(canVote(live, 'A')).toBe(true);
    expect(canVote(live, 'B')).toBe(true);
    expect(canVote(live, 'C')).toBe(false);
    expect(canVote(live, 'a')).toBe(false);
    expect(canVote(reduce(live, { type: 'rotate' }, LIVE + 1).state, 'A')).toBe(false);
  });

  it('a fight has exactly two options', () => {
    expect(isFight(matchupOf(2))).toBe(true);
    expect(isFight(matchupOf(3))).toBe(false);
    expect(isFight(matchupOf(4))).toBe(false);
  });
});
