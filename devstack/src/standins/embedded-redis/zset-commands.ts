// Dev/test only: sorted-set commands of the embedded Redis store. Members live in a Map (member -> score) and
// are sorted on read: plenty fast for dev-sized leaderboards, and simple to get exactly right.
import type { CommandTable } from './command-args.ts';
import { formatFloat, indexRange, toFloat, toInt } from './command-args.ts';
import type { Keyspace } from './keyspace.ts';
import type { Reply } from '../redis-reply.ts';
import { RedisError, errors } from '../redis-reply.ts';

type Entry = [member: string, score: number];
type Bound = { value: number; exclusive: boolean };

const readZset = (ks: Keyspace, key: string) => ks.getAs(key, 'zset');
const writeZset = (ks: Keyspace, key: string) => ks.getOrCreate(key, 'zset', () => new Map<string, number>());

/** Redis order: by score, ties by member (byte order; equal to code-unit order for the ASCII we use). */
function sorted(zset: Map<string, number> | undefined): Entry[] {
  return [...(zset ?? [])].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function parseBound(text: string): Bound {
  const exclusive = text.startsWith('(');
  try {
    return { value: toFloat(exclusive ? text.slice(1) : text), exclusive };
  } catch {
    throw new RedisError('ERR min or max is not a float');
  }
}

const aboveMin = (score: number, min: Bound) => (min.exclusive ? score > min.value : score >= min.value);
const belowMax = (score: number, max: Bound) => (max.exclusive ? score < max.value : score <= max.value);

const withScores = (entries: Entry[], scores: boolean): Reply =>
  scores ? entries.flatMap(([m, s]) => [m, formatFloat(s)]) : entries.map(([m]) => m);

function limit(entries: Entry[], offset: number | undefined, count: number | undefined): Entry[] {
  if (offset === undefined) return entries;
  if (offset < 0) return [];
  return entries.slice(offset, count === undefined || count < 0 ? undefined : offset + count);
}

/** ZRANGE with all its modern options; the older ZREVRANGE/ZRANGEBYSCORE forms are rewritten into it. */
function zrange(ks: Keyspace, [key, start, stop, ...rest]: string[]): Reply {
  let byScore = false;
  let rev = false;
  let scores = false;
  let offset: number | undefined;
  let count: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = (rest[i] as string).toUpperCase();
    if (word === 'BYSCORE') byScore = true;
    else if (word === 'REV') rev = true;
    else if (word === 'WITHSCORES') scores = true;
    else if (word === 'LIMIT' && i + 2 < rest.length) {
      offset = toInt(rest[++i] as string);
      count = toInt(rest[++i] as string);
    } else if (word === 'BYLEX') throw new RedisError('ERR BYLEX is not supported by the embedded store');
    else throw errors.syntax();
  }
  if (offset !== undefined && !byScore) {
    throw new RedisError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  const entries = sorted(readZset(ks, key as string));
  if (rev) entries.reverse();
  if (!byScore) {
    const range = indexRange(start as string, stop as string, entries.length);
    return withScores(range ? entries.slice(...range) : [], scores);
  }
  // With REV the first bound is the maximum, as in Redis.
  const min = parseBound((rev ? stop : start) as string);
  const max = parseBound((rev ? start : stop) as string);
  return withScores(limit(entries.filter(([, s]) => aboveMin(s, min) && belowMax(s, max)), offset, count), scores);
}

function zadd(ks: Keyspace, [key, ...args]: string[]): Reply {
  const flags = new Set<string>();
  while (args.length && ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'].includes((args[0] as string).toUpperCase())) {
    flags.add((args.shift() as string).toUpperCase());
  }
  if (args.length === 0 || args.length % 2 !== 0) throw errors.syntax();
  if (flags.has('NX') && flags.has('XX')) throw new RedisError('ERR XX and NX options at the same time are not compatible');
  if ((flags.has('GT') && flags.has('LT')) || (flags.has('NX') && (flags.has('GT') || flags.has('LT')))) {
    throw new RedisError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (flags.has('INCR') && args.length > 2) throw new RedisError('ERR INCR option supports a single increment-element pair');
  const pairs: Entry[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push([args[i + 1] as string, toFloat(args[i] as string)]);

  const zset = writeZset(ks, key as string);
  let added = 0;
  let changed = 0;
  let incrResult: string | null = null;
  for (const [member, score] of pairs) {
    const current = zset.get(member);
    if ((flags.has('NX') && current !== undefined) || (flags.has('XX') && current === undefined)) continue;
    const next = flags.has('INCR') ? (current ?? 0) + score : score;
    if (Number.isNaN(next)) throw new RedisError('ERR resulting score is not a number (NaN)');
    if (current !== undefined && ((flags.has('GT') && next <= current) || (flags.has('LT') && next >= current))) continue;
    if (current === undefined) added++;
    else if (current !== next) changed++;
    zset.set(member, next);
    incrResult = formatFloat(next);
  }
  ks.dropIfEmpty(key as string);
  if (flags.has('INCR')) return incrResult;
  return flags.has('CH') ? added + changed : added;
}

function rank(reverse: boolean) {
  return {
    arity: 3,
    run(ks: Keyspace, [key, member]: string[]): Reply {
      const entries = sorted(readZset(ks, key as string));
      if (reverse) entries.reverse();
      const index = entries.findIndex(([m]) => m === member);
      return index === -1 ? null : index;
    },
  };
}

function removeWhere(ks: Keyspace, key: string, pick: (entries: Entry[]) => Entry[]): number {
  const zset = readZset(ks, key);
  if (!zset) return 0;
  const doomed = pick(sorted(zset));
  for (const [member] of doomed) zset.delete(member);
  ks.dropIfEmpty(key);
  return doomed.length;
}

export const zsetCommands: CommandTable = {
  zadd: { arity: -4, run: zadd },
  zincrby: {
    arity: 4,
    run(ks, [key, delta, member]) {
      const by = toFloat(delta as string);
      const zset = writeZset(ks, key as string);
      const next = (zset.get(member as string) ?? 0) + by;
      if (Number.isNaN(next)) throw new RedisError('ERR resulting score is not a number (NaN)');
      zset.set(member as string, next);
      return formatFloat(next);
    },
  },
  zscore: { arity: 3, run: (ks, [key, member]) => { const s = readZset(ks, key as string)?.get(member as string); return s === undefined ? null : formatFloat(s); } },
  zmscore: {
    arity: -3,
    run: (ks, [key, ...members]) => { const z = readZset(ks, key as string); return members.map((m) => { const s = z?.get(m); return s === undefined ? null : formatFloat(s); }); },
  },
  zcard: { arity: 2, run: (ks, [key]) => readZset(ks, key as string)?.size ?? 0 },
  zrem: {
    arity: -3,
    run(ks, [key, ...members]) {
      const zset = readZset(ks, key as string);
      if (!zset) return 0;
      const removed = members.filter((m) => zset.delete(m)).length;
      ks.dropIfEmpty(key as string);
      return removed;
    },
  },
  zrank: rank(false),
  zrevrank: rank(true),
  zrange: { arity: -4, run: zrange },
  zrevrange: { arity: -4, run: (ks, [key, start, stop, ...rest]) => zrange(ks, [key as string, start as string, stop as string, 'REV', ...rest]) },
  zrangebyscore: { arity: -4, run: (ks, [key, min, max, ...rest]) => zrange(ks, [key as string, min as string, max as string, 'BYSCORE', ...rest]) },
  zrevrangebyscore: {
    arity: -4,
    run: (ks, [key, max, min, ...rest]) => zrange(ks, [key as string, max as string, min as string, 'BYSCORE', 'REV', ...rest]),
  },
  zcount: {
    arity: 4,
    run(ks, [key, minArg, maxArg]) {
      const min = parseBound(minArg as string);
      const max = parseBound(maxArg as string);
      return sorted(readZset(ks, key as string)).filter(([, s]) => aboveMin(s, min) && belowMax(s, max)).length;
    },
  },
  zremrangebyrank: {
    arity: 4,
    run: (ks, [key, start, stop]) =>
      removeWhere(ks, key as string, (entries) => {
        const range = indexRange(start as string, stop as string, entries.length);
        return range ? entries.slice(...range) : [];
      }),
  },
  zremrangebyscore: {
    arity: 4,
    run(ks, [key, minArg, maxArg]) {
      const min = parseBound(minArg as string);
      const max = parseBound(maxArg as string);
      return removeWhere(ks, key as string, (entries) => entries.filter(([, s]) => aboveMin(s, min) && belowMax(s, max)));
    },
  },
};
