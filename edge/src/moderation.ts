/**
 * A first filter for what viewers put on stream. Deliberately small and predictable: it refuses links,
 * mentions and a short list of words, and operators hide anything else from the dashboard.
 */
const BLOCKED = [/\bn[i1]gg/i, /\bf[a@]gg?[o0]t/i, /\bk[i1]ke\b/i, /\bretard/i, /\bcunt/i, /\bwhore/i, /\bnazi/i, /\brape/i];
const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|io|gg|tv|ly|xyz|ru)\b)/i;
const MENTION = /@\w/;

export type Verdict = { ok: true } | { ok: false; reason: string };

export function screenText(text: string): Verdict {
  if (/[\p{Cc}\p{Cf}]/u.test(text)) return { ok: false, reason: 'control characters are not allowed' };
  if (LINK.test(text)) return { ok: false, reason: 'links are not allowed' };
  if (MENTION.test(text)) return { ok: false, reason: '@mentions are not allowed' };
  if (BLOCKED.some((re) => re.test(text))) return { ok: false, reason: 'message was refused by the filter' };
  return { ok: true };
}
