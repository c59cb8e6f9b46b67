// Dev/test only: list and set commands of the embedded Redis store.
import type { CommandTable } from './command-args.ts';
import { indexRange, toInt } from './command-args.ts';
import type { Keyspace } from './keyspace.ts';
import type { Reply } from '../redis-reply.ts';
import { OK, RedisError } from '../redis-reply.ts';

const readList = (ks: Keyspace, key: string) => ks.getAs(key, 'list');
const readSet = (ks: Keyspace, key: string) => ks.getAs(key, 'set');

function pop(fromLeft: boolean) {
  return {
    arity: -2,
    run(ks: Keyspace, [key, countArg]: string[]): Reply {
      const count = countArg === undefined ? undefined : toInt(countArg);
      if (count !== undefined && count < 0) throw new RedisError('ERR value is out of range, must be positive');
      const list = readList(ks, key as string);
      if (!list) return null;
      const taken = fromLeft ? list.splice(0, count ?? 1) : list.splice(Math.max(0, list.length - (count ?? 1))).reverse();
      ks.dropIfEmpty(key as string);
      return count === undefined ? (taken[0] ?? null) : taken;
    },
  };
}

export const listSetCommands: CommandTable = {
  // LPUSH a b c leaves c at the head, as Redis does.
  lpush: { arity: -3, run: (ks, [key, ...values]) => { const l = ks.getOrCreate(key as string, 'list', () => []); l.unshift(...values.reverse()); return l.length; } },
  rpush: { arity: -3, run: (ks, [key, ...values]) => { const l = ks.getOrCreate(key as string, 'list', () => []); l.push(...values); return l.length; } },
  lpop: pop(true),
  rpop: pop(false),
  llen: { arity: 2, run: (ks, [key]) => readList(ks, key as string)?.length ?? 0 },
  lindex: {
    arity: 3,
    run(ks, [key, index]) {
      const list = readList(ks, key as string) ?? [];
      const i = toInt(index as string);
      return list[i < 0 ? list.length + i : i] ?? null;
    },
  },
  lrange: {
    arity: 4,
    run(ks, [key, start, stop]) {
      const list = readList(ks, key as string) ?? [];
      const range = indexRange(start as string, stop as string, list.length);
      return range ? list.slice(...range) : [];
    },
  },
  ltrim: {
    arity: 4,
    run(ks, [key, start, stop]) {
      const list = readList(ks, key as string);
      if (!list) return OK;
      const range = indexRange(start as string, stop as string, list.length);
      const kept = range ? list.slice(...range) : [];
      list.splice(0, list.length, ...kept);
      ks.dropIfEmpty(key as string);
      return OK;
    },
  },
  sadd: {
    arity: -3,
    run(ks, [key, ...members]) {
      const set = ks.getOrCreate(key as string, 'set', () => new Set<string>());
      const before = set.size;
      for (const m of members) set.add(m);
      return set.size - before;
    },
  },
  srem: {
    arity: -3,
    run(ks, [key, ...members]) {
      const set = readSet(ks, key as string);
      if (!set) return 0;
      const removed = members.filter((m) => set.delete(m)).length;
      ks.dropIfEmpty(key as string);
      return removed;
    },
  },
  sismember: { arity: 3, run: (ks, [key, member]) => (readSet(ks, key as string)?.has(member as string) ? 1 : 0) },
  smismember: { arity: -3, run: (ks, [key, ...members]) => { const s = readSet(ks, key as string); return members.map((m) => (s?.has(m) ? 1 : 0)); } },
  scard: { arity: 2, run: (ks, [key]) => readSet(ks, key as string)?.size ?? 0 },
  smembers: { arity: 2, run: (ks, [key]) => [...(readSet(ks, key as string) ?? [])] },
};
