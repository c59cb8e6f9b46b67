/**
 * The season as clients see it: where the cycle is, the tournament's bracket with names, past champions. One schema
 * for the room (which builds it), the snapshot (stream, overlay, vote page) and GET /api/season (the site).
 */
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../constants.ts';
import { BRACKET_ROUNDS, BRACKET_SIZE, bracketMatches } from './cycle.ts';
import type { Bracket } from './cycle-state.ts';

const count = z.number().int().nonnegative();
const Id = z.string().min(1).max(128);

/** Where the show is (cycle.ts cyclePosition), for the stream and the site to put into words. */
export const CyclePositionView = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('matchmaking'), played: count, total: count, untilTournament: count }),
  z.object({ stage: z.literal('seeding'), season: count }),
  z.object({ stage: z.literal('tournament'), season: count, round: z.enum(BRACKET_ROUNDS), match: count, of: count, overall: count }),
  z.object({ stage: z.literal('exhibition'), played: count, total: count, remaining: count }),
]);
export type CyclePositionView = z.infer<typeof CyclePositionView>;

export const BracketSideView = z.object({ id: Id, name: z.string().max(80), seed: z.number().int().min(1).max(BRACKET_SIZE) });
export type BracketSideView = z.infer<typeof BracketSideView>;

/** One of the bracket's 7 matches: its sides once known, and its result once played. */
export const BracketMatchView = z.object({
  index: z.number().int().min(0).max(BRACKET_SIZE - 2),
  round: z.enum(BRACKET_ROUNDS),
  match: z.number().int().positive(),
  of: z.number().int().positive(),
  a: BracketSideView.nullable(),
  b: BracketSideView.nullable(),
  /** The fighter id that went through, and which step of the tie-break rule decided it (tie-break.ts). */
  winner: Id.nullable(),
  by: z.enum(['winner', 'hp', 'votes', 'seed']).nullable(),
  pollId: z.string().max(64).nullable(),
});
export type BracketMatchView = z.infer<typeof BracketMatchView>;

export const BracketView = z.object({ season: z.number().int().positive(), matches: z.array(BracketMatchView).length(BRACKET_SIZE - 1), done: z.boolean() });
export type BracketView = z.infer<typeof BracketView>;

/** A stored bracket as clients see it: all 7 matches with names (`name` of a fighter id), played or not. */
export function bracketView(bracket: Bracket, season: number, name: (id: string) => string): BracketView {
  const side = (s: { id: string; seed: number } | null) => (s ? { id: s.id, name: name(s.id), seed: s.seed } : null);
  const matches = bracketMatches(bracket).map((m) => ({
    index: m.index,
    round: m.round,
    match: m.match,
    of: m.of,
    a: side(m.a),
    b: side(m.b),
    winner: m.result?.winner ?? null,
    by: m.result?.by ?? null,
    pollId: m.result?.pollId ?? null,
  }));
  return { season, matches, done: bracket.results.length === matches.length };
}

/** In the snapshot: the position always; the bracket while a tournament is seeded or being played, and in the exhibitions after it (its champion). */
export const SeasonOnAir = z.object({ position: CyclePositionView, bracket: BracketView.nullable() });
export type SeasonOnAir = z.infer<typeof SeasonOnAir>;

export const ChampionView = z.object({ season: z.number().int().positive(), fighterId: Id, name: z.string().max(80), pollId: z.string().max(64), at: z.number() });
export type ChampionView = z.infer<typeof ChampionView>;

export const CycleLengths = z.strictObject({
  matchmakingRounds: z.number().int().min(1).max(1_000),
  exhibitions: z.number().int().min(1).max(1_000),
});
export type CycleLengths = z.infer<typeof CycleLengths>;

/** GET /api/season. */
export const SeasonResponse = z.object({
  type: z.literal('season'),
  v: z.literal(PROTOCOL_VERSION),
  position: CyclePositionView,
  /** The current tournament, or the latest one; null before the first. */
  bracket: BracketView.nullable(),
  /** Newest first. */
  champions: z.array(ChampionView),
  cycle: CycleLengths,
});
export type SeasonResponse = z.infer<typeof SeasonResponse>;

/** The operator's acts on the cycle (POST /api/season). */
export const SeasonAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start-tournament') }),
  z.strictObject({ action: z.literal('skip-to-matchmaking') }),
  z.strictObject({ action: z.literal('set-lengths'), lengths: CycleLengths.partial() }),
]);
export type SeasonAction = z.infer<typeof SeasonAction>;
