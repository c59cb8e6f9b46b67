/**
 * The season cycle's stored state: what the room keeps (as JSON) to know where the show is. Parsed with this schema
 * when read back, so a stored state from an older build that no longer fits is caught at the boundary.
 */
import { z } from 'zod';
import { BRACKET_SIZE, CHAMPIONS_KEPT, CYCLE_STAGES } from './cycle.ts';

const Id = z.string().min(1).max(128);

export const BracketResult = z.object({
  pollId: z.string().min(1).max(64),
  /** Fighter id that went through. */
  winner: Id,
  by: z.enum(['winner', 'hp', 'votes', 'seed']),
});
export type BracketResult = z.infer<typeof BracketResult>;

export const Bracket = z.object({
  /** Fighter ids, seed 1 first. */
  seeds: z.array(Id).length(BRACKET_SIZE),
  /** Results of the matches played so far, in bracket order (QF1–QF4, SF1, SF2, final). */
  results: z.array(BracketResult).max(BRACKET_SIZE - 1),
});
export type Bracket = z.infer<typeof Bracket>;

export const Champion = z.object({ season: z.number().int().positive(), fighterId: Id, pollId: z.string().min(1).max(64), at: z.number() });
export type Champion = z.infer<typeof Champion>;

export const CycleState = z.object({
  v: z.literal(1),
  stage: z.enum(CYCLE_STAGES),
  /** The season of the current (or latest) tournament; 0 before the first. */
  season: z.number().int().nonnegative(),
  /** Rounds played in this matchmaking or exhibition stage. */
  played: z.number().int().nonnegative(),
  /** The current tournament, or the latest one (shown during the exhibitions); null before the first. */
  bracket: Bracket.nullable(),
  /** The last round applied: the same round reported twice (a retry after a restart) counts once. */
  lastPollId: z.string().nullable(),
  champions: z.array(Champion).max(CHAMPIONS_KEPT),
}).refine((s) => s.stage !== 'tournament' || (s.bracket !== null && s.bracket.results.length < BRACKET_SIZE - 1), {
  // The reducer could never leave such a state (no match to play, no seeding to wait for).
  message: 'a tournament needs a bracket with a match left to play',
  path: ['bracket'],
});
export type CycleState = z.infer<typeof CycleState>;
export type CycleStage = CycleState['stage'];
