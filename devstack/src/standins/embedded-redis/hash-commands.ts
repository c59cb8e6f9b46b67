// Dev/test only: hash commands of the embedded Redis store. Maps keep insertion order, like Redis's small
// (listpack) hashes, so HGETALL answers in the same order as a real server for small hashes.
import type { CommandTable } from './command-args.ts';
import { addInt, formatFloat, toBigInt, toFloat } from './command-args.ts';
import type { Keyspace } from './keyspace.ts';
import { OK, RedisError, errors } from '../redis-reply.ts';

const readHash = (ks: Keyspace, key: string) => ks.getAs(key, 'hash');
const writeHash = (ks: Keyspace, key: string) => ks.getOrCreate(key, 'hash', () => new Map<string, string>());

function setFields(ks: Keyspace, name: string, [key, ...pairs]: string[]): number {
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw errors.arity(name);
  const hash = writeHash(ks, key as string);
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    if (!hash.has(pairs[i] as string)) added++;
    hash.set(pairs[i] as string, pairs[i + 1] as string);
  }
  return added;
}

export const hashCommands: CommandTable = {
  hset: { arity: -4, run: (ks, args) => setFields(ks, 'hset', args) },
  hmset: { arity: -4, run: (ks, args) => (setFields(ks, 'hmset', args), OK) },
  hsetnx: {
    arity: 4,
    run(ks, [key, field, value]) {
      const hash = writeHash(ks, key as string);
      if (hash.has(field as string)) return 0;
      hash.set(field as string, value as string);
      return 1;
    },
  },
  hget: { arity: 3, run: (ks, [key, field]) => readHash(ks, key as string)?.get(field as string) ?? null },
  hmget: { arity: -3, run: (ks, [key, ...fields]) => { const h = readHash(ks, key as string); return fields.map((f) => h?.get(f) ?? null); } },
  hgetall: { arity: 2, run: (ks, [key]) => [...(readHash(ks, key as string) ?? new Map<string, string>())].flat() },
  hkeys: { arity: 2, run: (ks, [key]) => [...(readHash(ks, key as string)?.keys() ?? [])] },
  hvals: { arity: 2, run: (ks, [key]) => [...(readHash(ks, key as string)?.values() ?? [])] },
  hlen: { arity: 2, run: (ks, [key]) => readHash(ks, key as string)?.size ?? 0 },
  hexists: { arity: 3, run: (ks, [key, field]) => (readHash(ks, key as string)?.has(field as string) ? 1 : 0) },
  hdel: {
    arity: -3,
    run(ks, [key, ...fields]) {
      const hash = readHash(ks, key as string);
      if (!hash) return 0;
      const removed = fields.filter((f) => hash.delete(f)).length;
      ks.dropIfEmpty(key as string);
      return removed;
    },
  },
  hincrby: {
    arity: 4,
    run(ks, [key, field, delta]) {
      const by = toBigInt(delta as string);
      const hash = writeHash(ks, key as string);
      const current = hash.get(field as string);
      let base = 0n;
      if (current !== undefined) {
        try {
          base = toBigInt(current);
        } catch {
          throw new RedisError('ERR hash value is not an integer');
        }
      }
      const next = addInt(base, by);
      hash.set(field as string, next.toString());
      return Number(next);
    },
  },
  hincrbyfloat: {
    arity: 4,
    run(ks, [key, field, delta]) {
      const by = toFloat(delta as string);
      const hash = writeHash(ks, key as string);
      const current = hash.get(field as string);
      const next = (current === undefined ? 0 : toFloat(current)) + by;
      if (!Number.isFinite(next)) throw new RedisError('ERR increment would produce NaN or Infinity');
      hash.set(field as string, formatFloat(next));
      return formatFloat(next);
    },
  },
};
