/**
 * The filter for what viewers put on stream. It refuses links, handles and e-mail addresses in any spelling, and
 * words from a block list; everything it lets through still waits for an operator unless auto-approval is on.
 *
 * Spammers write around a plain regex ("evil . com", "evil[.]com", "еvil.соm" with Cyrillic letters, "＠bob",
 * "e v i l . c o m", zalgo), so the text is first brought to one plain form and the rules run on that. The form is
 * only for matching: what airs is the text as sent.
 */
import { confusablesMap } from 'confusables';

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Look-alike letters come from the `confusables` package's table (Cyrillic, Greek, Cherokee, letter-like symbols →
 * Latin). Its own `remove()` is not used: the ES build memoises every string it ever saw in a module-level Map, which
 * in a long-lived isolate is a leak fed by the public.
 */
function unconfuse(s: string): string {
  let out = '';
  for (const ch of s) out += confusablesMap.get(ch) ?? ch;
  return out;
}

/** Vietnamese stacks two marks on a letter and Thai two; four or more is zalgo, which smears over the overlay. */
const STACKED_MARKS = /\p{M}{4,}/u;
/** Invisible characters that are not \p{Cf} but render as blanks. */
const BLANKS = /[\u115f\u1160\u2800\u3164\uffa0]/g;
/** Dots that are not "." after NFKC: ideographic full stop, middle dots, bullets, dot operators. */
const DOT_LIKE = /[\u3002\u00b7\u2022\u2027\u2219\u22c5\u30fb\u0701\u06d4]/g;
/** "[.]", "(.)", "{dot}", "<d0t>", with or without spaces. */
const BRACKETED_DOT = /\s*[[({<]\s*(?:\.|d[o0]t)\s*[\])}>]\s*/g;
const WORD_DOT = /\s+d[o0]t\s+/g;
const BRACKETED_AT = /\s*[[({<]\s*at\s*[\])}>]\s*/g;
/** "evil . com", "evil .com": a space before a dot never ends a sentence. A space only after it ("hit. Come on") does. */
const SPACED_DOT = /\s+\.\s*/g;
/**
 * A run of three or more single letters or digits separated by spaces or dots ("e v i l . c o m", "e v i l.c o m").
 * Joining such a run costs nothing on honest text ("I a m" becomes "Iam" for matching only).
 */
const SPACED_RUN = /(?<![\p{L}\p{N}])[\p{L}\p{N}](?:(?:\s+|\s*\.\s*)[\p{L}\p{N}](?![\p{L}\p{N}])){2,}/gu;

/**
 * The plain form of a text, for matching: NFKC (fullwidth and mathematical letters, "＠" → "@", "．" → "."), combining
 * marks removed, look-alike letters mapped to Latin, lower case, dot and at spellings made "." and "@", and spaced
 * letters joined.
 */
export function normalise(text: string): string {
  let s = text.normalize('NFKC').replace(BLANKS, ' ');
  s = s.normalize('NFD').replace(/\p{M}+/gu, '');
  s = unconfuse(s).toLowerCase();
  s = s.replace(DOT_LIKE, '.').replace(BRACKETED_DOT, '.').replace(BRACKETED_AT, '@').replace(WORD_DOT, '.');
  s = s.replace(SPACED_RUN, (run) => run.replace(/\s+/g, ''));
  return s.replace(SPACED_DOT, '.').replace(/\s+/g, ' ').trim();
}

/**
 * Top-level domains a link is recognised by: the generic ones spammers use and the country codes that are not also
 * everyday English words after a full stop ("in", "is", "it", "me", "so", "to", "us" are left out on purpose, so
 * "KO.Me too" stays a message; "evil.me" then needs its scheme or "www" to be caught, and usually has one).
 */
const TLDS = [
  'com', 'net', 'org', 'info', 'biz', 'io', 'gg', 'tv', 'ly', 'xyz', 'ru', 'co', 'app', 'dev', 'site', 'online', 'shop',
  'store', 'live', 'stream', 'link', 'club', 'top', 'click', 'fun', 'space', 'website', 'win', 'bet', 'vip', 'pro', 'icu',
  'cn', 'uk', 'de', 'fr', 'es', 'nl', 'br', 'ca', 'au', 'jp', 'kr', 'pl', 'su', 'cc', 'ws', 'sh', 'fm', 'ai', 'tk', 'ml',
  'ga', 'cf', 'gq', 'ly', 'gl', 'ph', 'vn', 'id', 'tr', 'ua', 'kz', 'mx', 'ar', 'cl', 'pe', 'ch', 'se', 'dk', 'fi', 'pt',
  'cz', 'ro', 'hu', 'gr', 'il', 'ir', 'za', 'ng', 'eu', 'asia', 'lol', 'wtf', 'tube', 'chat', 'social', 'onion', 'bit',
];
const LINK = new RegExp(
  String.raw`(?:https?|ftp)\s*:\s*\/\s*\/|\bwww\.|(?<![\p{L}\p{N}_-])[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.(?:${TLDS.join('|')})(?![\p{L}\p{N}])`,
  'u',
);
const HANDLE = /@\s*[\p{L}\p{N}_]/u;

/** Built-in words, matched at the start of a word (so "Scunthorpe" passes); `whole` ones only as a whole word. */
const BUILT_IN: ReadonlyArray<{ word: string; whole?: boolean }> = [
  { word: 'nigg' }, { word: 'faggot' }, { word: 'fagot' }, { word: 'kike', whole: true }, { word: 'retard' },
  { word: 'cunt' }, { word: 'whore' }, { word: 'nazi' }, { word: 'rape' },
];

/**
 * The form the block list is matched on: the plain form with leetspeak and the i/l look-alike folded (the look-alike
 * table maps Cyrillic "І" to "l"), and separators inside spaced-out words dropped ("c.u.n.t", "c-u-n-t").
 */
function skeleton(plain: string): string {
  const folded = plain.replace(/[1l|!]/g, 'i').replace(/0/g, 'o').replace(/3/g, 'e').replace(/[4@]/g, 'a').replace(/[5$]/g, 's').replace(/7/g, 't');
  return folded.replace(/(?<![\p{L}\p{N}])[\p{L}\p{N}](?:[\s.\-_*]+[\p{L}\p{N}](?![\p{L}\p{N}])){2,}/gu, (run) => run.replace(/[\s.\-_*]+/g, ''));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function wordPattern(word: string, whole: boolean): RegExp | null {
  const w = skeleton(normalise(word));
  if (!w) return null;
  const body = w.split(' ').map(escapeRe).join('\\s*');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${whole ? '(?![\\p{L}\\p{N}])' : ''}`, 'u');
}

const compiled = new Map<string, RegExp[]>();

/** The built-in list plus the configured words (SHOUTOUT_BLOCKLIST), compiled once per distinct list. */
function blockPatterns(extra: readonly string[]): RegExp[] {
  const key = extra.join('\n');
  let patterns = compiled.get(key);
  if (!patterns) {
    patterns = [...BUILT_IN.map((b) => wordPattern(b.word, b.whole ?? false)), ...extra.map((w) => wordPattern(w, false))].filter((p): p is RegExp => p !== null);
    compiled.set(key, patterns);
  }
  return patterns;
}

export function screenText(text: string, blocklist: readonly string[] = []): Verdict {
  if (/[\p{Cc}\p{Cf}]/u.test(text)) return { ok: false, reason: 'control characters are not allowed' };
  if (STACKED_MARKS.test(text.normalize('NFD'))) return { ok: false, reason: 'too many accent marks stacked on one letter' };
  const plain = normalise(text);
  if (LINK.test(plain)) return { ok: false, reason: 'links are not allowed' };
  if (HANDLE.test(plain)) return { ok: false, reason: '@mentions, handles and e-mail addresses are not allowed' };
  const bones = skeleton(plain);
  if (blockPatterns(blocklist).some((re) => re.test(bones))) return { ok: false, reason: 'message was refused by the filter' };
  return { ok: true };
}
