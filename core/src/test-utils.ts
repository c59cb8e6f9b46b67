/** Helpers shared by the tests (not exported from index.ts). */
import type { OptionId } from './ids.ts';
import type { Matchup } from './matchup.ts';
import type { RoundState } from './round-state.ts';
import { reduce } from './round.ts';
import type { Reduction, RoundEvent } from './round.ts';

/** Freezes a value and everything reachable from it, so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type Step = { at: number; event: RoundEvent };
export type Played = Reduction & { at: number; before: RoundState };

/** Runs the steps in order, freezing every state before it goes into reduce. */
export function play(start: RoundState, steps: readonly Step[]): Played[] {
  const out: Played[] = [];
  let state = deepFreeze(start);
  for (const { at, event } of steps) {
    const r = reduce(state, deepFreeze(event), at);
    out.push({ ...r, at, before: state });
    state = deepFreeze(r.state);
  }
  return out;
}

export function votes(...options: string[]): RoundEvent {
  return { type: 'votes', votes: options.map((option) => ({ option: option as OptionId })) };
}

export function unanimous(option: OptionId, count: number): RoundEvent {
  return { type: 'votes', votes: Array.from({ length: count }, () => ({ option })) };
}

/** A hand-made matchup, so the round tests do not depend on the generator. */
export function matchupOf(n: 2 | 3 | 4, durationSec = 60): Matchup {
  const ids = (['A', 'B', 'C', 'D'] as const).slice(0, n);
  return {
    title: 'Test matchup',
    stage: 'dojo',
    durationSec,
    headlines: [],
    source: 'builtin',
    options: ids.map((id) => ({
      id,
      fighter: { name: `Fighter ${id}`, archetype: 'brawler', color: '#112233', tagline: 'Test.', moves: { punch: 'P', kick: 'K', special: 'S' } },
    })),
  };
}
