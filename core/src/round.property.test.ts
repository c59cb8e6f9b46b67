import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_HP, PHASE_MS, RECENT_HITS, RoundState } from './round-state.ts';
import type { OptionId } from './ids.ts';
import { generateMatchup } from './generator.ts';
import { isFight, nextDeadline, reduce, startRound, timeLeftMs, PHASES } from './round.ts';
import type { RoundEvent } from './round.ts';
import { deepFreeze, play, unanimous, votes } from '../fixtures/round-play.ts';
import type { Step } from '../fixtures/round-play.ts';

const T0 = 1_700_000_000_000;

const roundArb = fc
  .record({
    seed: fc.integer(),
    options: fc.integer({ min: 2, max: 4 }),
    durationSec: fc.integer({ min: 15, max: 120 }),
    audience: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 300 })),
    pollId: fc.string({ minLength: 1, maxLength: 20 }),
  })
  .map(({ seed, options, durationSec, audience, pollId }) =>
    startRound({ pollId, matchup: generateMatchup(seed, { options, durationSec }), now: T0, audience }),
  );

const eventArb: fc.Arbitrary<RoundEvent> = fc.oneof(
  // Mixed batches, including options the matchup does not have ('C', 'D' in a fight; 'E' never).
  { weight: 8, arbitrary: fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E'), { maxLength: 25 }).map((o) => votes(...o)) },
  // A one-sided surge, so that KOs happen too.
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom<OptionId>('A', 'B', 'C'), fc.integer({ min: 1, max: 40 })).map(([option, n]) => unanimous(option, n)) },
  { weight: 4, arbitrary: fc.constant({ type: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'rotate' as const }) },
);

/** Steps at non-decreasing times (sometimes far apart), always ending with a tick long after any round is over. */
const dtArb = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 3_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 200_000 }) });
const stepsArb = fc.array(fc.record({ dt: dtArb, event: eventArb }), { maxLength: 80, size: 'large' }).map((raw) => {
  let at = T0;
  const steps: Step[] = raw.map(({ dt, event }) => ({ at: (at += dt), event }));
  steps.push({ at: at + 10_000_000, event: { type: 'tick' } });
  return steps;
});

/** States and events are plain JSON. */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const key = (s: RoundState, id: OptionId) => [s.hp[id] ?? -1, s.votes[id] ?? -1] as const;

describe('round reducer properties', () => {
  it('replaying the same events gives deep-equal states and effects, and never mutates its inputs', () => {
    fc.assert(
      fc.property(roundArb, stepsArb, (start, steps) => {
        const snapshot = clone(start);
        const first = play(start, steps);
        const second = play(clone(snapshot), clone(steps));
        expect(second.map((p) => [p.state, p.effects])).toEqual(first.map((p) => [p.state, p.effects]));
        expect(start).toEqual(snapshot);
      }),
    );
  });

  it('keeps every state valid: HP in [0, MAX_HP], the clock in bounds, counts consistent', () => {
    fc.assert(
      fc.property(roundArb, stepsArb, (start, steps) => {
        const duration = start.matchup.durationSec * 1000;
        for (const { state: s, at } of play(start, steps)) {
          RoundState.parse(s);
          expect(Object.keys(s.hp).sort()).toEqual(s.matchup.options.map((o) => o.id));
          for (const hp of Object.values(s.hp)) {
            expect(hp).toBeGreaterThanOrEqual(0);
            expect(hp).toBeLessThanOrEqual(MAX_HP);
          }
          for (const t of [at, at - 1, at + 1, s.liveAt, s.endsAt, T0]) {
            const left = timeLeftMs(s, t);
            expect(left).toBeGreaterThanOrEqual(0);
            expect(left).toBeLessThanOrEqual(duration);
          }
          const total = Object.values(s.votes).reduce((a, b) => a + (b ?? 0), 0);
          if (isFight(s.matchup)) {
            expect(s.hitCount).toBe(total);
            const damage = s.hits.reduce((sum, h) => sum + h.damage, 0);
            if (s.hitCount <= RECENT_HITS) expect(damage).toBe(2 * MAX_HP - (s.hp.A ?? 0) - (s.hp.B ?? 0));
          } else {
            expect(s.hitCount).toBe(0);
            expect(Object.values(s.hp).every((hp) => hp === MAX_HP)).toBe(true);
          }
          expect(s.hits.length).toBe(Math.min(s.hitCount, RECENT_HITS));
          expect(s.hits.map((h) => h.n)).toEqual(s.hits.map((_, i) => s.hitCount - s.hits.length + 1 + i));
          expect(s.outcome === null).toBe(s.phase === 'upcoming' || s.phase === 'live');
        }
      }),
    );
  });

  it('only moves phases forward, archives exactly once on entering finished, and emits next only from expired results', () => {
    fc.assert(
      fc.property(roundArb, stepsArb, (start, steps) => {
        const played = play(start, steps);
        let archives = 0;
        for (const { before, state, effects, at } of played) {
          expect(PHASES.indexOf(state.phase)).toBeGreaterThanOrEqual(PHASES.indexOf(before.phase));
          expect(state.phaseAt).toBeGreaterThanOrEqual(before.phaseAt);
          const archived = effects.filter((e) => e.type === 'archive');
          archives += archived.length;
          const entered = !['finished', 'results'].includes(before.phase) && ['finished', 'results'].includes(state.phase);
          expect(archived.length).toBe(entered ? 1 : 0);
          for (const e of archived) {
            if (e.type !== 'archive') continue;
            expect(e.result.outcome).toEqual(state.outcome);
            expect(e.result.startedAt).toBeLessThanOrEqual(e.result.finishedAt);
          }
          const nexts = effects.filter((e) => e.type === 'next').length;
          const due = state.phase === 'results' && at >= state.phaseAt + PHASE_MS.results;
          expect(nexts).toBe(due ? 1 : 0);
          if (due) expect(effects.at(-1)).toEqual({ type: 'next' });
        }
        const last = played.at(-1)!;
        expect(archives).toBe(1);
        expect(last.state.phase).toBe('results');
        expect(last.effects.at(-1)).toEqual({ type: 'next' });
      }),
    );
  });

  it('ends with one winner holding the best (HP, votes), or a tie when the best is shared', () => {
    fc.assert(
      fc.property(roundArb, stepsArb, (start, steps) => {
        const s = play(start, steps).at(-1)!.state;
        const ids = s.matchup.options.map((o) => o.id);
        const best = ids.map((id) => key(s, id)).sort((a, b) => b[0] - a[0] || b[1] - a[1])[0]!;
        const atBest = ids.filter((id) => key(s, id)[0] === best[0] && key(s, id)[1] === best[1]);
        const winner = s.outcome!.winner;
        if (winner === null) expect(atBest.length).toBeGreaterThan(1);
        else {
          expect(atBest).toEqual([winner]);
          expect(s.hp[winner]).toBe(Math.max(...ids.map((id) => s.hp[id] ?? 0)));
          if (!isFight(s.matchup)) expect(s.votes[winner]).toBe(Math.max(...ids.map((id) => s.votes[id] ?? 0)));
        }
        if (s.outcome!.reason === 'ko') expect(Math.min(...ids.map((id) => s.hp[id] ?? 0))).toBe(0);
      }),
    );
  });

  it('generates timelines that reach every ending (so the properties above are not vacuous)', () => {
    const seen = new Set<string>();
    for (const [start, steps] of fc.sample(fc.tuple(roundArb, stepsArb), { numRuns: 400, seed: 42 })) {
      const s = play(start, steps).at(-1)!.state;
      seen.add(`${isFight(s.matchup) ? 'fight' : 'poll'}:${s.outcome!.reason}:${s.outcome!.winner === null ? 'tie' : 'win'}`);
    }
    for (const k of ['fight:ko:win', 'fight:timeout:win', 'fight:timeout:tie', 'fight:rotate:win', 'poll:timeout:win', 'poll:timeout:tie', 'poll:rotate:win']) expect(seen).toContain(k);
  });

  it('one late tick equals ticking at every deadline on the way', () => {
    fc.assert(
      fc.property(roundArb, stepsArb, fc.integer({ min: 0, max: 400_000 }), fc.oneof(fc.constant(0), fc.nat({ max: 60 })), (start, steps, gap, cut) => {
        const prefix = steps.slice(0, Math.min(cut, steps.length - 1));
        const s = prefix.length ? play(start, prefix).at(-1)!.state : deepFreeze(start);
        const target = s.phaseAt + gap;
        const jumped = reduce(s, { type: 'tick' }, target);
        let stepped = s;
        const effects = [];
        // At most three transitions lie ahead of any state; the bound keeps a broken reducer from hanging the test.
        for (let i = 0, due = nextDeadline(stepped); i < 3 && due !== null && due < target && stepped.phase !== 'results'; i++, due = nextDeadline(stepped)) {
          const r = reduce(stepped, { type: 'tick' }, due);
          stepped = deepFreeze(r.state);
          effects.push(...r.effects);
        }
        const final = reduce(stepped, { type: 'tick' }, target);
        expect(final.state).toEqual(jumped.state);
        expect([...effects, ...final.effects]).toEqual(jumped.effects);
      }),
    );
  });

  it('a unanimous crowd of ~audience voters KOs, in more than 3 hits and by the time everyone expected has voted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 5_000 }), fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom<OptionId>('A', 'B'), (audience, pollId, side) => {
        const start = startRound({ pollId, matchup: generateMatchup(pollId), now: T0, audience });
        const live = reduce(start, { type: 'tick' }, start.liveAt).state;
        const r = reduce(live, unanimous(side, audience), start.liveAt + 1);
        expect(r.state.outcome).toEqual({ reason: 'ko', winner: side });
        const hits = r.state.hitCount;
        expect(hits).toBeGreaterThan(3);
        expect(hits).toBeLessThanOrEqual(audience);
        // Only the 4-hit floor keeps tiny crowds from KO-ing strictly early: from 12 expected voters on it always is.
        if (audience >= 12) expect(hits).toBeLessThan(audience);
        // And the scale aims at ~80% of the crowd.
        if (audience >= 200) {
          expect(hits / audience).toBeGreaterThan(0.7);
          expect(hits / audience).toBeLessThan(0.9);
        }
        expect(r.state.votes[side]).toBe(hits);
      }),
      { numRuns: 200 },
    );
  });
});
