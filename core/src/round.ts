/**
 * The round reducer: `reduce(state, event, now) -> { state, effects }`. Only the room runs it (the render node and
 * the site draw the state the room sends); the tests replay it, so everything here is a pure function of its inputs.
 * No zod at run time (types only, constants from constants.ts): the browser may import `isFight` and `timeLeftMs`.
 *
 * Rules
 * - Phases only move forward: upcoming → live → finished → results, then the effect `next`.
 *   upcoming → live at liveAt; live → finished at endsAt ('timeout'), at a KO ('ko') or on rotate ('rotate');
 *   finished lasts phaseMs.finish (the KO!/TIME! card); results lasts phaseMs.results (winner card, up next); the
 *   round carries its phase lengths (PHASE_MS unless the room is set otherwise).
 * - Every event first advances time to `now`: one call that lands far in the future walks through every phase
 *   whose time has come, in order, with phaseAt set to the *scheduled* time of each transition (not `now`), so a
 *   room that slept through its alarms replays to exactly the same state.
 * - `archive` is emitted exactly once per round, by the call that enters `finished`.
 * - `next` is level-triggered: EVERY call made while in `results` at or after phaseAt + phaseMs.results emits
 *   `next` and leaves the state unchanged. The caller must replace the round (startRound) when it sees `next`;
 *   if it crashes first, the next alarm simply emits it again (at-least-once, no lost rotation).
 * - Votes count only while `live` and only for options of the matchup; anything else is ignored, not an error.
 *   A batch whose `now` is at or past endsAt first finishes the round at endsAt, so those votes are ignored.
 *   The live window is [liveAt, endsAt).
 * - Fight (2 options): a vote for A is a hit on B and vice versa, of damageFor(state.audience, kind) HP (see
 *   damage.ts), never taking HP below 0. HP 0 is a KO: the round finishes at once and the rest of the batch is
 *   ignored (not counted). Plain poll (3–4 options): votes only, HP stays MAX_HP, no KO.
 * - The stated tie rule, for timeout and rotate alike: higher HP wins; equal HP → more votes wins; still equal →
 *   tie (winner null). In a plain poll every HP is MAX_HP, so this is simply "most votes; equal top is a tie".
 *   A KO is won by the side that landed it.
 * - `now` earlier than state.phaseAt (a clock that stepped back) is treated as phaseAt: time never runs backwards
 *   inside a round.
 * - Inputs are never mutated; a call that changes nothing returns the same state object.
 */
import type { OptionId } from './ids.ts';
import type { Matchup } from './matchup.ts';
import { MAX_HP, PHASE_MS, RECENT_HITS } from './constants.ts';
import type { Hit, Outcome, Phase, PhaseLengths, RoundResult, RoundState } from './round-state.ts';
import { attackKindFor, clampAudience, damageFor } from './damage.ts';

// The damage rules live in their own file; the round's public API includes them.
export { attackKindFor, damageFor, nextAudience, MIN_AUDIENCE, KIND_MULTIPLIER, MAX_DAMAGE, MIN_DAMAGE } from './damage.ts';

export type RoundEvent =
  /** A batch of already-deduplicated accepted votes, in order. */
  | { type: 'votes'; votes: ReadonlyArray<{ option: OptionId }> }
  /** Time passed: advance the phases whose time has come. */
  | { type: 'tick' }
  /** Operator: end the round now. A no-op once the round has finished. */
  | { type: 'rotate' };

export type RoundEffect = { type: 'archive'; result: RoundResult } | { type: 'next' };

export type Reduction = { state: RoundState; effects: RoundEffect[] };

export const PHASES: readonly Phase[] = ['upcoming', 'live', 'finished', 'results'];

/** Two options is a fight; three or four is a plain poll. Takes any list of a round's options (a matchup, a result). */
export function isFight(m: { readonly options: readonly unknown[] }): boolean {
  return m.options.length === 2;
}

/** How long `state`'s phases last: what it was started with, or the defaults for a round stored before rounds carried them. */
export function phaseLengths(state: Pick<RoundState, 'phaseMs'>): PhaseLengths {
  return state.phaseMs ?? PHASE_MS;
}

export function startRound(i: { pollId: string; matchup: Matchup; now: number; audience: number; phaseMs?: PhaseLengths }): RoundState {
  const phaseMs = i.phaseMs ?? PHASE_MS;
  const liveAt = i.now + phaseMs.intro;
  const hp: Partial<Record<OptionId, number>> = {};
  const votes: Partial<Record<OptionId, number>> = {};
  for (const o of i.matchup.options) {
    hp[o.id] = MAX_HP;
    votes[o.id] = 0;
  }
  return {
    pollId: i.pollId,
    matchup: i.matchup,
    phase: 'upcoming',
    liveAt,
    endsAt: liveAt + i.matchup.durationSec * 1000,
    phaseAt: i.now,
    hp,
    votes,
    audience: clampAudience(i.audience),
    hits: [],
    hitCount: 0,
    outcome: null,
    phaseMs: { ...phaseMs },
  };
}

function hasOption(m: Matchup, option: string): option is OptionId {
  return m.options.some((o) => o.id === option);
}

/** Whether a vote for `option` would count right now: the round is live and the option is in the matchup. */
export function canVote(state: RoundState, option: string): option is OptionId {
  return state.phase === 'live' && hasOption(state.matchup, option);
}

/** ms left on the clock: the full duration before the round goes live, 0 once it has finished. */
export function timeLeftMs(state: RoundState, now: number): number {
  const duration = state.matchup.durationSec * 1000;
  if (state.phase === 'upcoming') return duration;
  if (state.phase !== 'live') return 0;
  return Math.min(duration, Math.max(0, Math.ceil(state.endsAt - now)));
}

/** When the next tick is due (ms epoch). In results it stays at the time `next` became due. */
export function nextDeadline(state: RoundState): number | null {
  switch (state.phase) {
    case 'upcoming':
      return state.liveAt;
    case 'live':
      return state.endsAt;
    case 'finished':
      return state.phaseAt + phaseLengths(state).finish;
    case 'results':
      return state.phaseAt + phaseLengths(state).results;
    default:
      return null;
  }
}

export function reduce(state: RoundState, event: RoundEvent, now: number): Reduction {
  const t = Number.isFinite(now) ? Math.max(now, state.phaseAt) : state.phaseAt;
  const advanced = advance(state, t);
  switch (event.type) {
    case 'tick':
      return advanced;
    case 'rotate': {
      const s = advanced.state;
      if (s.phase !== 'upcoming' && s.phase !== 'live') return advanced;
      const finished = finish(s, t, 'rotate', decide(s));
      return { state: finished.state, effects: [...advanced.effects, { type: 'archive', result: finished.result }] };
    }
    case 'votes': {
      const voted = applyVotes(advanced.state, event.votes, t);
      return { state: voted.state, effects: [...advanced.effects, ...voted.effects] };
    }
    default:
      return advanced;
  }
}

/** Walks through every transition due at or before `t`, each at its scheduled time. */
function advance(state: RoundState, t: number): Reduction {
  let s = state;
  const effects: RoundEffect[] = [];
  for (;;) {
    const due = nextDeadline(s);
    if (due === null || t < due) return { state: s, effects };
    switch (s.phase) {
      case 'upcoming':
        s = { ...s, phase: 'live', phaseAt: due };
        break;
      case 'live': {
        const finished = finish(s, due, 'timeout', decide(s));
        s = finished.state;
        effects.push({ type: 'archive', result: finished.result });
        break;
      }
      case 'finished':
        s = { ...s, phase: 'results', phaseAt: due };
        break;
      case 'results':
        effects.push({ type: 'next' });
        return { state: s, effects };
    }
  }
}

/** The tie rule: higher HP, then more votes; still equal is a tie (null). */
export function decide(state: Pick<RoundState, 'matchup' | 'hp' | 'votes'>): OptionId | null {
  let best: OptionId | null = null;
  let bestKey: [number, number] = [-1, -1];
  for (const { id } of state.matchup.options) {
    const key: [number, number] = [state.hp[id] ?? 0, state.votes[id] ?? 0];
    const cmp = key[0] - bestKey[0] || key[1] - bestKey[1];
    if (cmp > 0) {
      best = id;
      bestKey = key;
    } else if (cmp === 0) {
      best = null;
    }
  }
  return best;
}

function finish(s: RoundState, at: number, reason: Outcome['reason'], winner: OptionId | null): { state: RoundState; result: RoundResult } {
  const outcome: Outcome = { reason, winner };
  const totalVotes = Object.values(s.votes).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  return {
    state: { ...s, phase: 'finished', phaseAt: at, outcome },
    // A round rotated during its intro never went live: it started and finished at the same moment.
    result: { pollId: s.pollId, matchup: s.matchup, votes: s.votes, hp: s.hp, outcome, startedAt: Math.min(s.liveAt, at), finishedAt: at, totalVotes },
  };
}

function applyVotes(s: RoundState, batch: ReadonlyArray<{ option: OptionId }>, t: number): Reduction {
  if (s.phase !== 'live') return { state: s, effects: [] };
  const fight = isFight(s.matchup);
  const votes = { ...s.votes };
  const hp = { ...s.hp };
  const newHits: Hit[] = [];
  let hitCount = s.hitCount;
  let accepted = 0;
  let ko: OptionId | null = null;
  for (const vote of batch) {
    const attacker = vote?.option;
    if (typeof attacker !== 'string' || !hasOption(s.matchup, attacker)) continue;
    accepted++;
    votes[attacker] = (votes[attacker] ?? 0) + 1;
    if (!fight) continue;
    const [a, b] = s.matchup.options;
    const target = attacker === a?.id ? b!.id : a!.id;
    hitCount++;
    const kind = attackKindFor(s.pollId, hitCount);
    const left = hp[target] ?? 0;
    const damage = Math.min(left, damageFor(s.audience, kind));
    hp[target] = left - damage;
    newHits.push({ n: hitCount, attacker, target, kind, damage, at: t });
    if (hp[target] === 0) {
      ko = attacker;
      break;
    }
  }
  if (accepted === 0) return { state: s, effects: [] };
  const hits = newHits.length === 0 ? s.hits : [...s.hits, ...newHits].slice(-RECENT_HITS);
  const next: RoundState = { ...s, votes, hp, hits, hitCount };
  if (ko === null) return { state: next, effects: [] };
  const finished = finish(next, t, 'ko', ko);
  return { state: finished.state, effects: [{ type: 'archive', result: finished.result }] };
}
