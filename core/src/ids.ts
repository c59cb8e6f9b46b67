import { z } from 'zod';

/** Option ids are stable strings, in order: a poll with n options uses the first n. */
export const OPTION_IDS = ['A', 'B', 'C', 'D'] as const;
export const OptionId = z.enum(OPTION_IDS);
export type OptionId = z.infer<typeof OptionId>;

export const ARCHETYPE_IDS = ['brawler', 'ninja', 'wizard', 'robot', 'beast', 'luchador', 'samurai', 'alien'] as const;
export const ArchetypeId = z.enum(ARCHETYPE_IDS);
export type ArchetypeId = z.infer<typeof ArchetypeId>;

export const STAGE_IDS = ['dojo', 'rooftop', 'volcano', 'beach', 'space', 'arcade'] as const;
export const StageId = z.enum(STAGE_IDS);
export type StageId = z.infer<typeof StageId>;

export const ATTACK_KINDS = ['punch', 'kick', 'special'] as const;
export const AttackKind = z.enum(ATTACK_KINDS);
export type AttackKind = z.infer<typeof AttackKind>;

/** The option ids a poll of `n` options uses. */
export function optionIdsFor(n: number): OptionId[] {
  return OPTION_IDS.slice(0, n);
}
