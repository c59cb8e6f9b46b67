import { z } from 'zod';
import { ARCHETYPE_IDS, ATTACK_KINDS, OPTION_IDS, STAGE_IDS } from './constants.ts';

export { ARCHETYPE_IDS, ATTACK_KINDS, OPTION_IDS, STAGE_IDS };

export const OptionId = z.enum(OPTION_IDS);
export type OptionId = z.infer<typeof OptionId>;

export const ArchetypeId = z.enum(ARCHETYPE_IDS);
export type ArchetypeId = z.infer<typeof ArchetypeId>;

export const StageId = z.enum(STAGE_IDS);
export type StageId = z.infer<typeof StageId>;

export const AttackKind = z.enum(ATTACK_KINDS);
export type AttackKind = z.infer<typeof AttackKind>;

/** The option ids a poll of `n` options uses. */
export function optionIdsFor(n: number): OptionId[] {
  return OPTION_IDS.slice(0, n);
}
