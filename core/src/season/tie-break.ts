/**
 * The tournament tie-break: a bracket round must send exactly one fighter on. Pure, over the finished round's outcome
 * data (core's RoundResult: outcome.winner is null for a tie, hp and votes per option).
 *
 * Rule, in order:
 * 1. the round's own winner (a KO, or the round's rule at the bell: higher HP, then more votes);
 * 2. more HP left as a share of the maximum (every fighter has the same maximum today, so this is "more HP"; the
 *    share keeps the rule right if fighters ever get different maxima);
 * 3. more votes;
 * 4. the higher seed (the lower seed number): the fighter who earned the better place in the standings.
 * Step 4 always decides, because two sides of a bracket match never share a seed.
 */
import type { OptionId } from '../ids.ts';
import { MAX_HP } from '../constants.ts';

export type BracketRoundOutcome = {
  outcome: { winner: OptionId | null };
  hp: Partial<Record<OptionId, number>>;
  votes: Partial<Record<OptionId, number>>;
};

export type TieBreakStep = 'winner' | 'hp' | 'votes' | 'seed';

/** The option that goes through, and which step of the rule decided it. `seeds` are 1-based seed numbers per option. */
export function bracketWinner(
  round: BracketRoundOutcome,
  sides: { a: OptionId; b: OptionId },
  seeds: { a: number; b: number },
  maxHp: { a: number; b: number } = { a: MAX_HP, b: MAX_HP },
): { winner: OptionId; by: TieBreakStep } {
  const { a, b } = sides;
  if (round.outcome.winner === a || round.outcome.winner === b) return { winner: round.outcome.winner, by: 'winner' };
  // Cross-multiplied so the shares compare exactly, in integers.
  const hp = (round.hp[a] ?? 0) * maxHp.b - (round.hp[b] ?? 0) * maxHp.a;
  if (hp !== 0) return { winner: hp > 0 ? a : b, by: 'hp' };
  const votes = (round.votes[a] ?? 0) - (round.votes[b] ?? 0);
  if (votes !== 0) return { winner: votes > 0 ? a : b, by: 'votes' };
  if (seeds.a === seeds.b) throw new RangeError('a bracket match needs two different seeds');
  return { winner: seeds.a < seeds.b ? a : b, by: 'seed' };
}
