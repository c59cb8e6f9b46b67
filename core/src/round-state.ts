import { z } from 'zod';
import { AttackKind, OptionId } from './ids.ts';
import { MAX_HP, PHASE_MS, PHASE_MS_BOUNDS, RECENT_HITS } from './constants.ts';
import { Matchup } from './matchup.ts';

export { MAX_HP, PHASE_MS, RECENT_HITS };

export const Phase = z.enum(['upcoming', 'live', 'finished', 'results']);
export type Phase = z.infer<typeof Phase>;

export const Hit = z.object({
  /** 1-based index of the hit in the round: clients spot new hits by it. */
  n: z.number().int().positive(),
  attacker: OptionId,
  target: OptionId,
  kind: AttackKind,
  damage: z.number().int().nonnegative(),
  at: z.number(),
});
export type Hit = z.infer<typeof Hit>;

export const Outcome = z.object({
  reason: z.enum(['ko', 'timeout', 'rotate']),
  /** null is a tie. */
  winner: OptionId.nullable(),
});
export type Outcome = z.infer<typeof Outcome>;

const phaseLength = z.number().int().min(PHASE_MS_BOUNDS.min).max(PHASE_MS_BOUNDS.max);
export const PhaseLengths = z.object({ intro: phaseLength, finish: phaseLength, results: phaseLength });
export type PhaseLengths = z.infer<typeof PhaseLengths>;

const PerOption = z.partialRecord(OptionId, z.number().int().nonnegative());

export const RoundState = z.object({
  pollId: z.string().min(1).max(64),
  matchup: Matchup,
  phase: Phase,
  /** ms epoch: when the round goes live, when the clock runs out, when the phase changed. */
  liveAt: z.number(),
  endsAt: z.number(),
  phaseAt: z.number(),
  hp: PerOption,
  votes: PerOption,
  /** Audience estimate (voters per round) that sets the damage per hit for this round. */
  audience: z.number().int().positive(),
  hits: z.array(Hit).max(RECENT_HITS),
  hitCount: z.number().int().nonnegative(),
  outcome: Outcome.nullable(),
  /** How long this round's intro, finish card and results card last (ms); PHASE_MS when absent (rounds stored before it existed). */
  phaseMs: PhaseLengths.optional(),
});
export type RoundState = z.infer<typeof RoundState>;

/** What the archive keeps of a finished round. */
export const RoundResult = z.object({
  pollId: z.string(),
  matchup: Matchup,
  votes: PerOption,
  hp: PerOption,
  outcome: Outcome,
  startedAt: z.number(),
  finishedAt: z.number(),
  totalVotes: z.number().int().nonnegative(),
});
export type RoundResult = z.infer<typeof RoundResult>;
