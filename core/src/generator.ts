/**
 * The built-in matchup generator, used when no AI is configured or the AI fails: deterministic for a seed, and
 * always a valid Matchup (the result is parsed before it is returned).
 */
import { ARCHETYPE_IDS, STAGE_IDS, optionIdsFor } from './ids.ts';
import { Matchup, ROUND_SECONDS } from './matchup.ts';
import type { Fighter, MatchupInput } from './matchup.ts';
import { fnv1a32, hash32, mix32 } from './hash.ts';
import { mulberry32, pick, randInt, shuffled } from './prng.ts';
import type { Rng } from './prng.ts';
import { ARCHETYPES, STAGES } from './roster.ts';
import type { Archetype } from './roster.ts';
import { CROWD_TITLE, HEADLINES, MOVES_ES, TAGLINES_ES } from './generator-words.ts';
import type { GenLang } from './generator-words.ts';

export { GEN_LANGS, type GenLang } from './generator-words.ts';

export type GenerateOptions = {
  /** Number of options, 2..4 (2 is a fight, more is a plain poll); default 2, clamped. */
  options?: number;
  /** Round length in seconds; default ROUND_SECONDS.default, clamped to ROUND_SECONDS.min..max. */
  durationSec?: number;
  /** The language of the taglines, move names, headlines and fallback title; default English. */
  lang?: GenLang;
};

const TITLE_MAX = 80;

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * A short stable poll id for a seed, e.g. "p_0k3j9x2m1qa": 52 bits from two independent hashes, so a stream that
 * runs for years still does not collide in practice.
 */
export function pollIdFor(seed: string | number): string {
  const text = String(seed);
  const hi = hash32(text);
  const lo = mix32(fnv1a32(text, 0x9747b28c));
  return `p_${(hi * 0x100000 + (lo >>> 12)).toString(36).padStart(11, '0')}`;
}

function makeFighter(rng: Rng, a: Archetype, taken: ReadonlySet<string>, lang: GenLang): Fighter {
  let name = `${pick(rng, a.names.first)} ${pick(rng, a.names.last)}`;
  for (let tries = 0; taken.has(name) && tries < 8; tries++) name = `${pick(rng, a.names.first)} ${pick(rng, a.names.last)}`;
  // Last resort; unreachable with the stock roster, whose last names are unique per archetype.
  for (let k = 2; taken.has(name); k++) name = `${name.slice(0, 28)} ${k}`;
  // The Spanish lists run parallel to the English ones, so a seed picks the same fighter in either language.
  const taglines = lang === 'es' ? TAGLINES_ES[a.id] : a.taglines;
  const moves = lang === 'es' ? MOVES_ES[a.id] : a.moves;
  return { name, archetype: a.id, color: pick(rng, a.palette), tagline: pick(rng, taglines), moves: { ...moves } };
}

function headlinesFor(rng: Rng, fighters: readonly Fighter[], stage: string, lang: GenLang): string[] {
  const [a, b] = fighters as [Fighter, Fighter];
  const lines = HEADLINES[lang].map((line) => line({ stage, a, b })).filter((line) => line.length <= 100);
  return shuffled(rng, lines).slice(0, randInt(rng, 2, 3));
}

export function generateMatchup(seed: string | number, opts: GenerateOptions = {}): Matchup {
  const rng = mulberry32(hash32(`matchup:${String(seed)}`));
  const n = clampInt(opts.options, 2, 4, 2);
  const lang: GenLang = opts.lang === 'es' ? 'es' : 'en';
  const durationSec = clampInt(opts.durationSec, ROUND_SECONDS.min, ROUND_SECONDS.max, ROUND_SECONDS.default);
  const stage = STAGES[pick(rng, STAGE_IDS)];
  // Distinct archetypes: there are more archetypes than options, so a shuffle always gives n different ones.
  const archetypes = shuffled(rng, ARCHETYPE_IDS).slice(0, n);
  const taken = new Set<string>();
  const fighters = archetypes.map((id) => {
    const f = makeFighter(rng, ARCHETYPES[id], taken, lang);
    taken.add(f.name);
    return f;
  });
  const names = fighters.map((f) => f.name).join(' vs ');
  const title = names.length <= TITLE_MAX ? names : CROWD_TITLE[lang](n, stage.name[lang]);
  const input: MatchupInput = {
    title,
    stage: stage.id,
    options: optionIdsFor(n).map((id, i) => ({ id, fighter: fighters[i]! })),
    durationSec,
    headlines: headlinesFor(rng, fighters, stage.name[lang], lang),
    source: 'builtin',
  };
  return Matchup.parse(input);
}
