/**
 * Well-formed text. A JS string may hold a lone UTF-16 surrogate (JSON's `\ud83d` escape makes one), which no
 * UTF-8 encoder can write: Postgres refuses it in jsonb, and a page streamed through HTMLRewriter stops at it.
 * So every string that reaches storage or a page is checked here first.
 */
import { z } from 'zod';

// `\p{Cs}` under the `u` flag matches exactly the surrogates that are not half of a pair (the same test as
// String.prototype.isWellFormed, which the ES2023 lib this workspace targets does not declare).
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

export const NOT_WELL_FORMED = 'must be well-formed Unicode (no lone surrogates)';

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** Each lone surrogate replaced by U+FFFD, as String.prototype.toWellFormed does. */
export function toWellFormed(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATES, '\uFFFD') : s;
}

/** A string schema that refuses lone surrogates; chain the usual checks after it. */
export const text = () => z.string().refine(isWellFormed, NOT_WELL_FORMED);

/**
 * A JSON.parse reviver that makes every string well-formed: for data stored before the schemas refused lone
 * surrogates, so reading it back repairs it instead of failing the parse.
 */
export function wellFormedReviver(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? toWellFormed(value) : value;
}
