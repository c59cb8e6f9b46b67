/** Matchups and ticker headlines written by a model, validated by the core schema before they go on air. */
import type OpenAI from 'openai';
import { z } from 'zod';
import { hash32 } from '@stream-fighter/core/hash';
import { ARCHETYPE_IDS, STAGE_IDS } from '@stream-fighter/core/ids';
import { Matchup } from '@stream-fighter/core/matchup';
import type { GenLang } from '@stream-fighter/core/generator-words';
import { AiOutputError, completeJson } from './json-completion.ts';
import { isSafeText } from './safety.ts';

export const MAX_AI_MATCHUPS = 5;
export const MAX_AI_HEADLINES = 3;

/**
 * What the model writes: the core matchup minus the fields the stream decides (`durationSec`, `source`).
 * Derived from the core shape so the prompt schema cannot drift from what the room accepts.
 */
const AiMatchup = z.object({
  title: Matchup.shape.title,
  stage: Matchup.shape.stage,
  options: Matchup.shape.options,
  headlines: Matchup.shape.headlines,
});
const Headline = Matchup.shape.headlines.unwrap().element;

const SYSTEM_PROMPT = `You write matchups for Stream Fighter, a 24/7 live cartoon fighting stream where viewers vote to land hits.
A matchup is two original fighters meeting on a stage.

Rules:
- Fun, PG and cartoonish: slapstick, puns, over-the-top bravado. No gore, no sexual content, no profanity, no slurs or hate, no real-world violence, crime, politics or tragedies.
- Every fighter is invented. Never a real person (living or dead), celebrity, politician, streamer, or an existing trademarked character.
- No URLs, @mentions, hashtags or contact details anywhere.
- Fighter: "name" (max 32 chars), "archetype" (one of ${ARCHETYPE_IDS.join(', ')}), "color" (#rrggbb, bold and distinct from the opponent), "tagline" (max 80 chars), "moves" with "punch", "kick" and "special" move names (max 24 chars each).
- Matchup: "title" (max 80 chars), "stage" (one of ${STAGE_IDS.join(', ')}), "options": exactly two entries, [{"id": "A", "fighter": ...}, {"id": "B", "fighter": ...}], "headlines": up to ${MAX_AI_HEADLINES} news-ticker lines hyping the fight (max 100 chars each).
- Make each matchup different from the others: mix archetypes, stages and tone.

Answer with JSON only, no prose: {"matchups": [ ... ]}.`;

const HEADLINES_PROMPT = `You write news-ticker lines for Stream Fighter, a 24/7 live cartoon fighting stream.
Lines are punchy, funny and PG, at most 100 characters each, about the fighters given. No real people, no URLs, no @mentions, no hashtags, no profanity.
Answer with JSON only: {"headlines": ["...", "..."]} with at most ${MAX_AI_HEADLINES} lines.`;

/** The language named as a model understands it, and the words that must be written in it. */
const LANGUAGE_NAMES: Record<GenLang, string> = { en: 'English', es: 'Spanish (español)' };

/**
 * The line that sets the language of everything viewers read. English is the prompt's own language, so it needs
 * no line; any other is spelt out, with the fields it covers, so the ticker and the taglines follow the stream.
 */
export function languageLine(lang: GenLang, what: string): string | null {
  if (lang === 'en') return null;
  return `Language: write ${what} in ${LANGUAGE_NAMES[lang]}, with natural, idiomatic wording for a live-stream audience (not a word-for-word translation). JSON keys stay in English.`;
}

/** Themes come from operators; keep them one short printable line so they cannot restructure the prompt. */
function cleanTheme(theme: string | undefined): string | undefined {
  const t = theme?.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return t ? t : undefined;
}

export interface AiMatchupRequest {
  /** 1..5 */
  count: number;
  theme?: string;
  /** Varies the prompt and the sampling seed so consecutive batches differ. */
  seed: string;
  /** The stream's language: titles, taglines, move names and headlines are written in it. Default English. */
  lang?: GenLang;
}

/** The user message for a batch of matchups (pure, for the tests). */
export function matchupsUserPrompt(req: AiMatchupRequest): string {
  const theme = cleanTheme(req.theme);
  return [
    `Write exactly ${req.count} matchup${req.count === 1 ? '' : 's'}.`,
    theme ? `Theme for this batch: ${JSON.stringify(theme)}.` : 'No theme: surprise us.',
    languageLine(req.lang ?? 'en', 'every "title", "name", "tagline", move name and headline'),
    `Variety token (ignore except as inspiration): ${JSON.stringify(req.seed.slice(0, 64))}.`,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

/** The user message asking for ticker lines about a matchup (pure, for the tests). */
export function headlinesUserPrompt(matchup: Matchup, lang: GenLang = 'en'): string {
  const brief = {
    title: matchup.title,
    stage: matchup.stage,
    fighters: matchup.options.map((o) => ({
      name: o.fighter.name,
      archetype: o.fighter.archetype,
      tagline: o.fighter.tagline,
      special: o.fighter.moves.special,
    })),
  };
  return [`Write ticker lines for this matchup:\n${JSON.stringify(brief)}`, languageLine(lang, 'the lines')].filter((line) => line !== null).join('\n');
}

/**
 * Ask the model for `count` matchups. Rejects with the SDK's `APIError` family on transport failures and with
 * `AiOutputError` on empty, malformed, schema-invalid or blocklisted output. Resolved matchups have `source: 'ai'`.
 */
export async function generateMatchupsWithAi(client: OpenAI, model: string, req: AiMatchupRequest): Promise<Matchup[]> {
  const { count, seed } = req;
  if (!Number.isInteger(count) || count < 1 || count > MAX_AI_MATCHUPS) {
    throw new RangeError(`count must be an integer in 1..${MAX_AI_MATCHUPS}, got ${count}`);
  }
  const user = matchupsUserPrompt(req);

  const out = await completeJson(client, {
    model,
    system: SYSTEM_PROMPT,
    user,
    name: 'stream_fighter_matchups',
    schema: z.object({ matchups: z.array(AiMatchup).min(count).max(count) }),
    maxTokens: 700 * count,
    seed: hash32(seed),
    temperature: 0.9,
  });

  return out.matchups.map((m, i) => {
    const parsed = Matchup.safeParse({ ...m, headlines: m.headlines.slice(0, MAX_AI_HEADLINES), source: 'ai' });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AiOutputError('invalid', `matchups.${i}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    return parsed.data;
  });
}

/**
 * Up to three ticker lines for a matchup. Lines that are too long, empty or blocklisted are dropped, not fatal;
 * the whole answer is rejected only when it is not the expected JSON.
 */
export async function generateHeadlines(client: OpenAI, model: string, matchup: Matchup, lang: GenLang = 'en'): Promise<string[]> {
  const out = await completeJson(client, {
    model,
    system: HEADLINES_PROMPT,
    user: headlinesUserPrompt(matchup, lang),
    name: 'stream_fighter_headlines',
    // Loose on purpose: each line is checked on its own below, so one bad line does not cost the others.
    schema: z.object({ headlines: z.array(z.string()) }),
    maxTokens: 300,
    temperature: 0.9,
    // Lines are screened one by one below, so one blocked line costs only itself.
    screen: false,
  });
  return filterHeadlines(out.headlines);
}

/** Keep the lines that are valid on-air text and pass the blocklist, at most three. */
export function filterHeadlines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  for (const line of lines) {
    const parsed = Headline.safeParse(line);
    if (parsed.success && isSafeText(parsed.data)) kept.push(parsed.data);
    if (kept.length === MAX_AI_HEADLINES) break;
  }
  return kept;
}
