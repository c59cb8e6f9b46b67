// Dev/test only: string commands of the embedded Redis store.
import type { CommandTable } from './command-args.ts';
import { addInt, formatFloat, toBigInt, toFloat, toInt } from './command-args.ts';
import type { Keyspace } from './keyspace.ts';
import type { Reply } from '../redis-reply.ts';
import { OK, RedisError, errors } from '../redis-reply.ts';

const getString = (ks: Keyspace, key: string) => ks.getAs(key, 'string');
const putString = (ks: Keyspace, key: string, value: string, keepTtl = false) =>
  ks.set(key, { type: 'string', value }, keepTtl);

function incrBy(ks: Keyspace, key: string, delta: bigint): number {
  const current = getString(ks, key);
  const next = addInt(current === undefined ? 0n : toBigInt(current), delta);
  putString(ks, key, next.toString(), true);
  return Number(next);
}

function setCommand(ks: Keyspace, [key, value, ...rest]: string[]): Reply {
  let condition: 'NX' | 'XX' | undefined;
  let get = false;
  let keepTtl = false;
  let expiresAt: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = (rest[i] as string).toUpperCase();
    if ((word === 'NX' || word === 'XX') && condition === undefined) condition = word;
    else if (word === 'GET') get = true;
    else if (word === 'KEEPTTL' && expiresAt === undefined) keepTtl = true;
    else if (['EX', 'PX', 'EXAT', 'PXAT'].includes(word) && expiresAt === undefined && !keepTtl && i + 1 < rest.length) {
      const amount = toInt(rest[++i] as string);
      if (amount <= 0) throw new RedisError("ERR invalid expire time in 'set' command");
      const now = ks.now();
      expiresAt = word === 'EX' ? now + amount * 1000 : word === 'PX' ? now + amount : word === 'EXAT' ? amount * 1000 : amount;
    } else throw errors.syntax();
  }
  const previous = get ? (getString(ks, key as string) ?? null) : null;
  const exists = ks.has(key as string);
  if ((condition === 'NX' && exists) || (condition === 'XX' && !exists)) return get ? previous : null;
  putString(ks, key as string, value as string, keepTtl);
  if (expiresAt !== undefined) ks.setExpiry(key as string, expiresAt);
  return get ? previous : OK;
}

function setWithExpiry(unitMs: number, name: string) {
  return {
    arity: 4,
    run(ks: Keyspace, [key, amount, value]: string[]): Reply {
      const n = toInt(amount as string);
      if (n <= 0) throw new RedisError(`ERR invalid expire time in '${name}' command`);
      putString(ks, key as string, value as string);
      ks.setExpiry(key as string, ks.now() + n * unitMs);
      return OK;
    },
  };
}

export const stringCommands: CommandTable = {
  get: { arity: 2, run: (ks, [key]) => getString(ks, key as string) ?? null },
  set: { arity: -3, run: setCommand },
  setnx: { arity: 3, run: (ks, [key, value]) => (ks.has(key as string) ? 0 : (putString(ks, key as string, value as string), 1)) },
  setex: setWithExpiry(1000, 'setex'),
  psetex: setWithExpiry(1, 'psetex'),
  getset: {
    arity: 3,
    run(ks, [key, value]) {
      const previous = getString(ks, key as string) ?? null;
      putString(ks, key as string, value as string);
      return previous;
    },
  },
  getdel: {
    arity: 2,
    run(ks, [key]) {
      const previous = getString(ks, key as string) ?? null;
      if (previous !== null) ks.delete(key as string);
      return previous;
    },
  },
  // MGET answers nil for keys of another type instead of failing, unlike GET.
  mget: { arity: -2, run: (ks, keys) => keys.map((k) => { const v = ks.get(k); return v?.type === 'string' ? v.value : null; }) },
  mset: {
    arity: -3,
    run(ks, args) {
      if (args.length % 2 !== 0) throw errors.arity('mset');
      for (let i = 0; i < args.length; i += 2) putString(ks, args[i] as string, args[i + 1] as string);
      return OK;
    },
  },
  append: {
    arity: 3,
    run(ks, [key, value]) {
      const next = (getString(ks, key as string) ?? '') + (value as string);
      putString(ks, key as string, next, true);
      return Buffer.byteLength(next);
    },
  },
  strlen: { arity: 2, run: (ks, [key]) => Buffer.byteLength(getString(ks, key as string) ?? '') },
  incr: { arity: 2, run: (ks, [key]) => incrBy(ks, key as string, 1n) },
  decr: { arity: 2, run: (ks, [key]) => incrBy(ks, key as string, -1n) },
  incrby: { arity: 3, run: (ks, [key, delta]) => incrBy(ks, key as string, toBigInt(delta as string)) },
  decrby: { arity: 3, run: (ks, [key, delta]) => incrBy(ks, key as string, -toBigInt(delta as string)) },
  incrbyfloat: {
    arity: 3,
    run(ks, [key, delta]) {
      const current = getString(ks, key as string);
      const next = (current === undefined ? 0 : toFloat(current)) + toFloat(delta as string);
      if (!Number.isFinite(next)) throw new RedisError('ERR increment would produce NaN or Infinity');
      const text = formatFloat(next);
      putString(ks, key as string, text, true);
      return text;
    },
  },
};
