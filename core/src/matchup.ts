import { z } from 'zod';
import { ArchetypeId, OptionId, StageId } from './ids.ts';
import { ROUND_SECONDS } from './constants.ts';
import { text } from './text.ts';

export { ROUND_SECONDS };

/** Printable, well-formed text with no control characters: names and lines that end up on stream. */
const onAir = (max: number) =>
  text()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

export const Fighter = z.object({
  name: onAir(32),
  archetype: ArchetypeId,
  /** Main colour of the sprite, #rrggbb. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  tagline: onAir(80),
  moves: z.object({ punch: onAir(24), kick: onAir(24), special: onAir(24) }),
});
export type Fighter = z.infer<typeof Fighter>;

export const MatchupOption = z.object({ id: OptionId, fighter: Fighter });
export type MatchupOption = z.infer<typeof MatchupOption>;

/** A matchup: what a round is about. 2 options is a fight; 3–4 is a plain poll shown as bars. */
export const Matchup = z
  .object({
    title: onAir(80),
    stage: StageId,
    options: z.array(MatchupOption).min(2).max(4),
    durationSec: z.number().int().min(ROUND_SECONDS.min).max(ROUND_SECONDS.max).default(ROUND_SECONDS.default),
    /** Short news-ticker lines shown during the round. */
    headlines: z.array(onAir(100)).max(5).default([]),
    source: z.enum(['ai', 'builtin', 'operator']).default('builtin'),
  })
  .superRefine((m, ctx) => {
    m.options.forEach((o, i) => {
      if (o.id !== ['A', 'B', 'C', 'D'][i]) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: 'option ids must be A, B, C, D in order' });
    });
  });
export type Matchup = z.infer<typeof Matchup>;
export type MatchupInput = z.input<typeof Matchup>;
