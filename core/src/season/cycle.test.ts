import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bracketMatches, cyclePosition, initialCycle, nextMatch, reduceCycle, seedTournament } from './cycle.ts';
import { finishedEvent } from './cycle.ts';
import type { CycleEvent, SeedCandidate } from './cycle.ts';
import { fighterId } from './record.ts';
import { makeResult } from '../../fixtures/rounds.ts';
import { CycleState } from './cycle-state.ts';
import type { OptionId } from '../ids.ts';

const SEEDS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];
let poll = 0;
/** A finished fight between fighters x (option A) and y (option B); `winner` 'A', 'B' or null (a tie on everything). */
const fight = (x: string, y: string, winner: OptionId | null = 'A'): CycleEvent => ({
  type: 'finished',
  pollId: `p${++poll}`,
  at: poll,
  fighters: { A: x, B: y },
  round: { outcome: { winner }, hp: { A: 10, B: 10 }, votes: { A: 3, B: 3 } },
});
const run = (s: CycleState, events: CycleEvent[]) => events.reduce((st, e) => reduceCycle(st, e), s);
const matchmade = (n: number) => Array.from({ length: n }, () => fight('m1', 'm2'));

/** Plays the current bracket match, `higherWins` deciding who goes through (the higher seed is option A). */
function playBracket(s: CycleState, higherWins: (i: number) => boolean): CycleState {
  const next = nextMatch(s);
  if (next.kind !== 'bracket') throw new Error(`expected a bracket match, got ${next.kind}`);
  return reduceCycle(s, fight(next.match.a.id, next.match.b.id, higherWins(next.match.index) ? 'A' : 'B'));
}

describe('the season cycle', () => {
  it('runs 20 matchmaking rounds, a 7-match bracket, 5 exhibitions, then matchmaking again', () => {
    let s = run(initialCycle(), matchmade(13));
    expect(cyclePosition(s)).toEqual({ stage: 'matchmaking', played: 13, total: 20, untilTournament: 7 });
    s = run(s, matchmade(7));
    expect(nextMatch(s)).toEqual({ kind: 'seed' });
    expect(cyclePosition(s)).toEqual({ stage: 'seeding', season: 1 });
    s = reduceCycle(s, { type: 'seed', seeds: SEEDS });
    expect(cyclePosition(s)).toEqual({ stage: 'tournament', season: 1, round: 'quarter-final', match: 1, of: 4, overall: 1 });
    s = playBracket(s, () => true);
    expect(cyclePosition(s)).toMatchObject({ round: 'quarter-final', match: 2, of: 4 });
    for (let i = 0; i < 5; i++) s = playBracket(s, () => true);
    expect(cyclePosition(s)).toMatchObject({ round: 'final', match: 1, of: 1, overall: 7 });
    s = playBracket(s, () => true);
    expect(s.stage).toBe('exhibition');
    expect(s.champions).toEqual([{ season: 1, fighterId: 's1', pollId: `p${poll}`, at: poll }]);
    expect(nextMatch(s)).toEqual({ kind: 'exhibition' });
    s = run(s, matchmade(4));
    expect(cyclePosition(s)).toEqual({ stage: 'exhibition', played: 4, total: 5, remaining: 1 });
    s = run(s, matchmade(1));
    expect(cyclePosition(s)).toMatchObject({ stage: 'matchmaking', played: 0 });
    expect(s.bracket?.results).toHaveLength(7);
  });

  it('seeds the quarter-finals 1v8, 4v5, 2v7, 3v6 and feeds the winners on', () => {
    const s = reduceCycle({ ...initialCycle(), stage: 'seeding' }, { type: 'seed', seeds: SEEDS });
    const pairs = (st: CycleState) => bracketMatches(st.bracket as never).map((m) => [m.a?.seed ?? null, m.b?.seed ?? null]);
    expect(pairs(s)).toEqual([[1, 8], [4, 5], [2, 7], [3, 6], [null, null], [null, null], [null, null]]);
    // Upsets everywhere: the lower seed wins every quarter-final.
    let t = s;
    for (let i = 0; i < 4; i++) t = playBracket(t, () => false);
    expect(pairs(t).slice(4)).toEqual([[5, 8], [6, 7], [null, null]]);
    t = playBracket(playBracket(t, () => true), () => false);
    expect(bracketMatches(t.bracket as never)[6]).toMatchObject({ a: { id: 's5', seed: 5 }, b: { id: 's7', seed: 7 } });
  });

  it('breaks a tied bracket round by the tie-break rule, here the higher seed', () => {
    let s = reduceCycle({ ...initialCycle(), stage: 'seeding' }, { type: 'seed', seeds: SEEDS });
    // Option A is the 8th seed here: the tie (equal HP and votes) goes to seed 1, on B.
    s = reduceCycle(s, fight('s8', 's1', null));
    expect(s.bracket?.results[0]).toMatchObject({ winner: 's1', by: 'seed' });
  });

  it('counts a round reported twice once, and ignores a stray round during a tournament or while seeding', () => {
    const e = fight('m1', 'm2');
    expect(run(initialCycle(), [e, e, e]).played).toBe(1);
    const seeding = { ...initialCycle(), stage: 'seeding' as const };
    expect(reduceCycle(seeding, fight('x', 'y'))).toBe(seeding);
    const t = reduceCycle(seeding, { type: 'seed', seeds: SEEDS });
    expect(reduceCycle(t, fight('s1', 's2'))).toBe(t);
    expect(reduceCycle(t, fight('s1', 'outsider'))).toBe(t);
    expect(reduceCycle(t, fight('s8', 's1')).bracket?.results).toHaveLength(1);
  });

  it('goes back to matchmaking when fewer than 8 distinct fighters can be seeded', () => {
    const seeding = { ...initialCycle(), stage: 'seeding' as const };
    const s = reduceCycle(seeding, { type: 'seed', seeds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'g'] });
    expect(s).toMatchObject({ stage: 'matchmaking', played: 0, season: 0, bracket: null });
  });

  it('lets an operator start a tournament now or skip to matchmaking', () => {
    const mm = run(initialCycle(), matchmade(3));
    const started = reduceCycle(mm, { type: 'startTournament' });
    expect(started.stage).toBe('seeding');
    expect(reduceCycle(started, { type: 'startTournament' })).toBe(started);
    const t = reduceCycle(started, { type: 'seed', seeds: SEEDS });
    expect(reduceCycle(t, { type: 'startTournament' })).toBe(t);
    const midway = playBracket(t, () => true);
    const skipped = reduceCycle(midway, { type: 'skipToMatchmaking' });
    expect(skipped).toMatchObject({ stage: 'matchmaking', played: 0, bracket: null, champions: [] });
    expect(reduceCycle(skipped, { type: 'skipToMatchmaking' })).toBe(skipped);
  });

  it('honours configured cycle lengths', () => {
    const options = { matchmakingRounds: 2, exhibitions: 1 };
    const s = matchmade(2).reduce((st, e) => reduceCycle(st, e, options), initialCycle());
    expect(s.stage).toBe('seeding');
    expect(cyclePosition(initialCycle(), options)).toMatchObject({ untilTournament: 2 });
  });

  it('keeps a state that survives JSON and the schema, whatever happens', () => {
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 'x'];
    const eventArb: fc.Arbitrary<CycleEvent> = fc.oneof(
      { weight: 10, arbitrary: fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids), fc.constantFrom<OptionId | null>('A', 'B', null), fc.nat(30)).map(([x, y, w, p]) => ({ ...fight(x, y, w), pollId: `q${p}` })) },
      { weight: 3, arbitrary: fc.constant<CycleEvent>({ type: 'seed', seeds: SEEDS }) },
      { weight: 1, arbitrary: fc.constant<CycleEvent>({ type: 'startTournament' }) },
      { weight: 1, arbitrary: fc.constant<CycleEvent>({ type: 'skipToMatchmaking' }) },
    );
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 200 }), (events) => {
        let s = initialCycle();
        for (const e of events) {
          const before = JSON.stringify(s);
          s = reduceCycle(s, e, { matchmakingRounds: 3, exhibitions: 2 });
          expect(JSON.stringify(CycleState.parse(JSON.parse(JSON.stringify(s))))).toBe(JSON.stringify(s));
          expect(s.bracket?.results.length ?? 0).toBeLessThanOrEqual(7);
          for (const c of s.champions) expect(SEEDS).toContain(c.fighterId);
          if (JSON.stringify(s) === before) continue;
          expect(nextMatch(s).kind).toBe(s.stage === 'tournament' ? 'bracket' : s.stage === 'seeding' ? 'seed' : s.stage);
        }
      }),
    );
  });
});

describe('CycleState', () => {
  it('refuses a stored tournament with no match left to play', () => {
    const t = reduceCycle({ ...initialCycle(), stage: 'seeding' }, { type: 'seed', seeds: SEEDS });
    expect(CycleState.safeParse(t).success).toBe(true);
    expect(CycleState.safeParse({ ...t, bracket: null }).success).toBe(false);
    expect(CycleState.safeParse({ ...initialCycle(), v: 2 }).success).toBe(false);
  });
});

describe('seedTournament', () => {
  it('takes the 8 top-rated eligible non-newcomers, best first, ties to more fights then id', () => {
    const field: SeedCandidate[] = Array.from({ length: 12 }, (_, i) => ({ id: `f${String(i).padStart(2, '0')}`, rating: 1500 + i * 10, fights: 10 }));
    field.push({ id: 'rookie', rating: 9000, fights: 4 }, { id: 'gone', rating: 9000, fights: 50, retired: true });
    field.push({ id: 'twin-b', rating: 1610, fights: 12 }, { id: 'twin-a', rating: 1610, fights: 12 }, { id: 'twin-c', rating: 1610, fights: 11 });
    expect(seedTournament(field)).toEqual(['twin-a', 'twin-b', 'twin-c', 'f11', 'f10', 'f09', 'f08', 'f07']);
    expect(seedTournament(field, 4)[0]).toBe('rookie');
  });
});

describe('finishedEvent', () => {
  it('turns a finished fight into the cycle event, by fighter id, and skips plain polls', () => {
    const r = makeResult('fe-1', { names: ['Ann', 'Bob'], winner: null });
    expect(finishedEvent(r)).toEqual({
      type: 'finished',
      pollId: 'fe-1',
      at: r.finishedAt,
      fighters: { A: fighterId('Ann'), B: fighterId('Bob') },
      round: { outcome: r.outcome, hp: r.hp, votes: r.votes },
    });
    expect(finishedEvent(makeResult('fe-2', { names: ['Ann', 'Bob', 'Cy'] }))).toBeNull();
  });
});
