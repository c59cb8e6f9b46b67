/**
 * The season cycle as a pure state machine: matchmaking rounds, then an 8-fighter single-elimination tournament of
 * the top-rated active fighters, then exhibitions, then again. The room stores the state (JSON, schema in
 * cycle-state.ts) and feeds it finished rounds; the stream and the site read where we are from `cyclePosition`.
 * No zod at run time (types only), like round.ts.
 *
 * Rules
 * - matchmaking: after `matchmakingRounds` finished rounds (default 20) the cycle moves to seeding.
 * - seeding: the reducer cannot read the database, so it waits for the caller's `seed` event with the top-rated
 *   active fighters, best first (`seedTournament` picks them from a roster). Fewer than 8 distinct fighters: no
 *   tournament this time, back to matchmaking (the debuts will grow the roster). Rounds finished while seeding
 *   count for nothing.
 * - tournament: 7 matches in bracket order: quarter-finals 1v8, 4v5, 2v7, 3v6 (seeds 1 and 2 can only meet in the
 *   final), semi-finals (QF1 winner v QF2 winner, QF3 v QF4), final. A finished round counts only if its two
 *   fighters are the current match's two; anything else (an operator's poll, a stray round) is ignored. Its winner
 *   comes from `bracketWinner` (tie-break.ts), so it cannot tie. After the final the champion is recorded and
 *   the cycle moves to exhibitions; the finished bracket stays in the state for the site to show.
 * - exhibition: after `exhibitions` finished rounds (default 5), matchmaking again.
 * - Operator: `startTournament` goes to seeding from matchmaking or exhibition (a no-op while seeding or in a
 *   tournament); `skipToMatchmaking` goes to matchmaking (count from 0) from any other stage, dropping an
 *   unfinished bracket; in matchmaking it is a no-op.
 * - A round reported twice (the same pollId as the last one applied) counts once.
 * - A call that changes nothing returns the same state object; inputs are never mutated.
 */
import type { OptionId } from '../ids.ts';
import type { RoundResult } from '../round-state.ts';
import { isFight } from '../round.ts';
import type { Bracket, BracketResult, CycleState } from './cycle-state.ts';
import { fighterId } from './record.ts';
import { TIER_DEFAULTS } from './tiers.ts';
import { bracketWinner } from './tie-break.ts';
import type { BracketRoundOutcome } from './tie-break.ts';

export const CYCLE_STAGES = ['matchmaking', 'seeding', 'tournament', 'exhibition'] as const;
export const BRACKET_SIZE = 8;
/** Past champions kept in the state (newest first); the archive keeps the rest. */
export const CHAMPIONS_KEPT = 20;
export const CYCLE_DEFAULTS = { matchmakingRounds: 20, exhibitions: 5 } as const;
export type CycleOptions = { matchmakingRounds?: number; exhibitions?: number };

/** The quarter-finals by seed number. */
export const QUARTER_FINAL_SEEDS = [
  [1, 8],
  [4, 5],
  [2, 7],
  [3, 6],
] as const;
/** The earlier matches whose winners meet in match 4, 5 and 6 (semi-finals, final). */
const FEEDS = [
  [0, 1],
  [2, 3],
  [4, 5],
] as const;
export const BRACKET_ROUNDS = ['quarter-final', 'quarter-final', 'quarter-final', 'quarter-final', 'semi-final', 'semi-final', 'final'] as const;
export type BracketRound = (typeof BRACKET_ROUNDS)[number];

export function initialCycle(): CycleState {
  return { v: 1, stage: 'matchmaking', season: 0, played: 0, bracket: null, lastPollId: null, champions: [] };
}

export type CycleEvent =
  /** A finished fight: its poll id, when it finished, the fighter id per option, and its outcome data (core's RoundResult fits). */
  | { type: 'finished'; pollId: string; at: number; fighters: Partial<Record<OptionId, string>>; round: BracketRoundOutcome }
  /** The tournament's field, best first (only read while seeding). */
  | { type: 'seed'; seeds: readonly string[] }
  | { type: 'startTournament' }
  | { type: 'skipToMatchmaking' };

/** The `finished` event for a finished round, or null for a plain poll (3–4 options), which the cycle does not count. */
export function finishedEvent(result: Pick<RoundResult, 'pollId' | 'matchup' | 'outcome' | 'hp' | 'votes' | 'finishedAt'>): Extract<CycleEvent, { type: 'finished' }> | null {
  if (!isFight(result.matchup)) return null;
  const fighters: Partial<Record<OptionId, string>> = {};
  for (const o of result.matchup.options) fighters[o.id] = fighterId(o.fighter.name);
  return { type: 'finished', pollId: result.pollId, at: result.finishedAt, fighters, round: { outcome: result.outcome, hp: result.hp, votes: result.votes } };
}

export function reduceCycle(state: CycleState, event: CycleEvent, options: CycleOptions = {}): CycleState {
  switch (event.type) {
    case 'startTournament':
      return state.stage === 'matchmaking' || state.stage === 'exhibition' ? { ...state, stage: 'seeding', played: 0 } : state;
    case 'skipToMatchmaking': {
      if (state.stage === 'matchmaking') return state;
      const unfinished = state.bracket !== null && state.bracket.results.length < BRACKET_SIZE - 1;
      return { ...state, stage: 'matchmaking', played: 0, bracket: unfinished ? null : state.bracket };
    }
    case 'seed': {
      if (state.stage !== 'seeding') return state;
      const seeds = [...new Set(event.seeds)].slice(0, BRACKET_SIZE);
      if (seeds.length < BRACKET_SIZE) return { ...state, stage: 'matchmaking', played: 0 };
      return { ...state, stage: 'tournament', season: state.season + 1, played: 0, bracket: { seeds, results: [] } };
    }
    case 'finished':
      if (event.pollId === state.lastPollId) return state;
      return finished(state, event, options);
  }
}

function finished(state: CycleState, event: Extract<CycleEvent, { type: 'finished' }>, options: CycleOptions): CycleState {
  const counted = { ...state, lastPollId: event.pollId };
  switch (state.stage) {
    case 'seeding':
      return state;
    case 'matchmaking': {
      const played = state.played + 1;
      return played >= (options.matchmakingRounds ?? CYCLE_DEFAULTS.matchmakingRounds) ? { ...counted, stage: 'seeding', played: 0 } : { ...counted, played };
    }
    case 'exhibition': {
      const played = state.played + 1;
      return played >= (options.exhibitions ?? CYCLE_DEFAULTS.exhibitions) ? { ...counted, stage: 'matchmaking', played: 0 } : { ...counted, played };
    }
    case 'tournament': {
      const bracket = state.bracket;
      const match = bracket ? currentMatch(bracket) : null;
      if (!bracket || !match?.a || !match.b) return state;
      const option = (id: string) => (Object.keys(event.fighters) as OptionId[]).find((o) => event.fighters[o] === id);
      const oa = option(match.a.id);
      const ob = option(match.b.id);
      if (!oa || !ob || oa === ob) return state;
      const { winner, by } = bracketWinner(event.round, { a: oa, b: ob }, { a: match.a.seed, b: match.b.seed });
      const result: BracketResult = { pollId: event.pollId, winner: winner === oa ? match.a.id : match.b.id, by };
      const next: Bracket = { seeds: bracket.seeds, results: [...bracket.results, result] };
      if (next.results.length < BRACKET_SIZE - 1) return { ...counted, bracket: next };
      const champion = { season: state.season, fighterId: result.winner, pollId: event.pollId, at: event.at };
      return { ...counted, stage: 'exhibition', played: 0, bracket: next, champions: [champion, ...state.champions].slice(0, CHAMPIONS_KEPT) };
    }
  }
}

export type BracketSide = { id: string; seed: number };
export type BracketMatch = {
  /** 0–6 in bracket order. */
  index: number;
  round: BracketRound;
  /** 1-based within its round, and how many matches the round has. */
  match: number;
  of: number;
  /** null while the match that feeds it is unplayed. The higher seed is `a`. */
  a: BracketSide | null;
  b: BracketSide | null;
  result: BracketResult | null;
};

/** All 7 matches of a bracket, played or not: the bracket card and the /tournament page draw this. */
export function bracketMatches(bracket: Bracket): BracketMatch[] {
  const seedOf = (id: string): BracketSide => ({ id, seed: bracket.seeds.indexOf(id) + 1 });
  const out: BracketMatch[] = [];
  for (let index = 0; index < BRACKET_SIZE - 1; index++) {
    let sides: (BracketSide | null)[];
    if (index < QUARTER_FINAL_SEEDS.length) {
      sides = (QUARTER_FINAL_SEEDS[index] as readonly number[]).map((s) => seedOf(bracket.seeds[s - 1] as string));
    } else {
      sides = (FEEDS[index - QUARTER_FINAL_SEEDS.length] as readonly number[]).map((i) => {
        const won = bracket.results[i]?.winner;
        return won === undefined ? null : seedOf(won);
      });
    }
    const [x, y] = sides as [BracketSide | null, BracketSide | null];
    const swap = x !== null && y !== null && y.seed < x.seed;
    const round = BRACKET_ROUNDS[index] as BracketRound;
    const first = BRACKET_ROUNDS.indexOf(round);
    out.push({
      index,
      round,
      match: index - first + 1,
      of: BRACKET_ROUNDS.filter((r) => r === round).length,
      a: swap ? y : x,
      b: swap ? x : y,
      result: bracket.results[index] ?? null,
    });
  }
  return out;
}

function currentMatch(bracket: Bracket): BracketMatch | null {
  return bracketMatches(bracket)[bracket.results.length] ?? null;
}

/** What the room must do to start the next round. */
export type NextMatch =
  | { kind: 'matchmaking' }
  | { kind: 'exhibition' }
  /** Read the top-rated active fighters and send a `seed` event first. */
  | { kind: 'seed' }
  | { kind: 'bracket'; match: BracketMatch & { a: BracketSide; b: BracketSide } };

export function nextMatch(state: CycleState): NextMatch {
  if (state.stage === 'tournament' && state.bracket) {
    const match = currentMatch(state.bracket);
    if (match?.a && match.b) return { kind: 'bracket', match: { ...match, a: match.a, b: match.b } };
  }
  if (state.stage === 'seeding' || state.stage === 'tournament') return { kind: 'seed' };
  return { kind: state.stage };
}

/** Where the show is, as data for the stream and the site to put into words (view's words table). */
export type CyclePosition =
  | { stage: 'matchmaking'; played: number; total: number; untilTournament: number }
  | { stage: 'seeding'; season: number }
  | { stage: 'tournament'; season: number; round: BracketRound; match: number; of: number; overall: number }
  | { stage: 'exhibition'; played: number; total: number; remaining: number };

export function cyclePosition(state: CycleState, options: CycleOptions = {}): CyclePosition {
  switch (state.stage) {
    case 'matchmaking': {
      const total = options.matchmakingRounds ?? CYCLE_DEFAULTS.matchmakingRounds;
      return { stage: 'matchmaking', played: state.played, total, untilTournament: Math.max(0, total - state.played) };
    }
    case 'exhibition': {
      const total = options.exhibitions ?? CYCLE_DEFAULTS.exhibitions;
      return { stage: 'exhibition', played: state.played, total, remaining: Math.max(0, total - state.played) };
    }
    case 'tournament': {
      const match = state.bracket ? currentMatch(state.bracket) : null;
      if (match) return { stage: 'tournament', season: state.season, round: match.round, match: match.match, of: match.of, overall: match.index + 1 };
      return { stage: 'seeding', season: state.season + 1 };
    }
    case 'seeding':
      return { stage: 'seeding', season: state.season + 1 };
  }
}

/** A fighter that may be seeded; pass the active roster (matchmaking's eligible fighters), retired ones are skipped. */
export type SeedCandidate = { id: string; rating: number; fights: number; retired?: boolean };

/**
 * The tournament's field: the top-rated active fighters with at least `minFights` fights (no newcomers: default
 * TIER_DEFAULTS.minFights), best first; equal ratings go to the fighter with more fights, then to the id, so the
 * order is total.
 */
export function seedTournament(candidates: readonly SeedCandidate[], minFights: number = TIER_DEFAULTS.minFights): string[] {
  return candidates
    .filter((c) => !c.retired && c.fights >= minFights)
    .sort((x, y) => y.rating - x.rating || y.fights - x.fights || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, BRACKET_SIZE)
    .map((c) => c.id);
}
