/**
 * A small blocklist for AI text that goes on air. It is a tripwire, not moderation: a model that emits a slur, a
 * URL or an @mention in one field is not trusted for the rest of its answer, and the built-in generator takes
 * over. Deliberately out of scope: names of real people (no reliable marker without a name list), spaced or
 * punctuated evasions ("s.l.u.r"), and non-English text. The system prompt asks for PG content; this catches the
 * obvious misses.
 *
 * The patterns below necessarily spell out the words they block.
 */

export type UnsafeRule = 'slur' | 'sexual' | 'profanity' | 'real-violence' | 'url' | 'mention';

/** Matched on the normalised text (lower case, common digit/symbol substitutions undone). */
const WORD_RULES: ReadonlyArray<readonly [UnsafeRule, RegExp]> = [
  ['slur', /\b(?:nigg(?:a|ah|er|uh)s?|fag(?:got)?s?|retard(?:ed|s)?|kikes?|spics?|chinks?|trann(?:y|ies)|wetbacks?|gooks?|dykes?)\b/],
  ['sexual', /\b(?:sex(?:y|ual)?|porn\w*|nude|naked|boobs?|tits?|dick|cock|pussy|cum|horny|orgasm\w*|rap(?:e|ed|es|ist)|molest\w*|hentai|nsfw|onlyfans|stripper)\b/],
  ['profanity', /\b(?:fuck\w*|shit\w*|cunt\w*|bitch\w*|whores?|sluts?|assholes?|motherf\w*)\b/],
  // Cartoon fighting is the point; real-world atrocities and self-harm are not.
  ['real-violence', /\b(?:assassinat\w*|terroris[mt]s?|genocid\w*|massacres?|lynch\w*|behead\w*|suicid\w*|self[- ]harm|kys|kill (?:yo)?urself|school shoot\w*|mass shoot\w*|hitler|nazis?)\b/],
];

/** Matched on the raw text: normalisation would turn "@" into "a". */
const RAW_RULES: ReadonlyArray<readonly [UnsafeRule, RegExp]> = [
  ['url', /\b(?:https?:\/\/|www\.)|\b[a-z0-9-]+\.(?:com|net|org|io|gg|tv|xyz|ly|me|app|dev|link|live|info)\b/i],
  ['mention', /(?:^|[^\w])@\w/],
];

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[013457@$!]/g, (c) => LEET[c] ?? c);
}

/** The first rule a piece of text breaks, or `null` when it passes. */
export function unsafeRule(text: string): UnsafeRule | null {
  for (const [rule, re] of RAW_RULES) if (re.test(text)) return rule;
  const norm = normalise(text);
  for (const [rule, re] of WORD_RULES) if (re.test(norm)) return rule;
  return null;
}

export function isSafeText(text: string): boolean {
  return unsafeRule(text) === null;
}

/**
 * Check every string inside a value (object keys included). Returns the path and rule of the first hit, never
 * the text itself: logs should not repeat what was blocked.
 */
export function findUnsafe(value: unknown, path: string = '$'): { path: string; rule: UnsafeRule } | null {
  if (typeof value === 'string') {
    const rule = unsafeRule(value);
    return rule ? { path, rule } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findUnsafe(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findUnsafe(k, `${path}.<key>`) ?? findUnsafe(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}
