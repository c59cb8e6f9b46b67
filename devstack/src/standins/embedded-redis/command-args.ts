// Dev/test only: argument parsing and number formatting with Redis's rules, for the embedded store.
import type { Keyspace } from './keyspace.ts';
import type { Reply } from '../redis-reply.ts';
import { errors } from '../redis-reply.ts';

/** `arity` follows Redis: counts the command name; negative means "at least". */
export type Command = { arity: number; run: (ks: Keyspace, args: string[]) => Reply };
export type CommandTable = Record<string, Command>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses a 64-bit integer argument the way Redis does (no spaces, no "+", no leading zeros). */
export function toBigInt(text: string): bigint {
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) throw errors.notInteger();
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw errors.notInteger();
  return value;
}

export const toInt = (text: string): number => Number(toBigInt(text));

/** Adds with Redis's overflow check and returns the value as a JS number (exact up to 2^53). */
export function addInt(current: bigint, delta: bigint): bigint {
  const result = current + delta;
  if (result < INT64_MIN || result > INT64_MAX) throw errors.overflow();
  return result;
}

export function toFloat(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw errors.notFloat();
  return Number(text);
}

/** Redis prints doubles as the shortest text that reads back the same, and infinities as inf/-inf. */
export function formatFloat(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

/** Resolves Redis's inclusive, negative-from-the-end index pair to a [start, end) slice, or undefined if empty. */
export function indexRange(startArg: string, stopArg: string, length: number): [number, number] | undefined {
  let start = toInt(startArg);
  let stop = toInt(stopArg);
  if (start < 0) start = Math.max(0, length + start);
  if (stop < 0) stop = length + stop;
  if (stop >= length) stop = length - 1;
  return start > stop || start >= length ? undefined : [start, stop + 1];
}

/** Redis glob patterns (KEYS, SCAN MATCH): * ? [abc] [^a] [a-z] and backslash escapes. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] as string);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('^');
        if (negate) body = body.slice(1);
        source += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Reads trailing keyword options: `flags` are bare words, `valued` take one argument. */
export function readOptions(args: readonly string[], flags: readonly string[], valued: readonly string[] = []) {
  const found = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const word = (args[i] as string).toUpperCase();
    if (flags.includes(word)) found.set(word, true);
    else if (valued.includes(word) && i + 1 < args.length) found.set(word, args[++i] as string);
    else throw errors.syntax();
  }
  return found;
}
