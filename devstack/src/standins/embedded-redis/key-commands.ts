// Dev/test only: key-level commands of the embedded Redis store (expiry, lookup, server-ish commands).
import type { CommandTable } from './command-args.ts';
import { globToRegExp, readOptions, toInt } from './command-args.ts';
import type { Keyspace } from './keyspace.ts';
import type { Reply } from '../redis-reply.ts';
import { OK, RedisError, errors } from '../redis-reply.ts';

/** EXPIRE and friends: `toMs` turns the argument into an absolute deadline in ms. */
function expireCommand(toMs: (amount: number, now: number) => number) {
  return {
    arity: -3,
    run(ks: Keyspace, [key, amount, ...rest]: string[]): Reply {
      const deadline = toMs(toInt(amount as string), ks.now());
      const option = rest.length ? rest.map((r) => r.toUpperCase()) : [];
      if (option.length > 1 || (option[0] && !['NX', 'XX', 'GT', 'LT'].includes(option[0]))) throw errors.syntax();
      if (!ks.has(key as string)) return 0;
      // A key without a TTL counts as expiring never: GT can never beat it, LT always does.
      const current = ks.expiresAt(key as string) ?? Infinity;
      const allowed =
        option[0] === 'NX' ? current === Infinity
        : option[0] === 'XX' ? current !== Infinity
        : option[0] === 'GT' ? deadline > current
        : option[0] === 'LT' ? deadline < current
        : true;
      if (!allowed) return 0;
      ks.setExpiry(key as string, deadline);
      return 1;
    },
  };
}

function ttlCommand(unitMs: number) {
  return {
    arity: 2,
    run(ks: Keyspace, [key]: string[]): Reply {
      if (!ks.has(key as string)) return -2;
      const at = ks.expiresAt(key as string);
      if (at === undefined) return -1;
      const left = Math.max(0, at - ks.now());
      // Redis rounds TTL to the nearest second and PTTL is exact.
      return unitMs === 1 ? left : Math.floor((left + 500) / 1000);
    },
  };
}

export const keyCommands: CommandTable = {
  ping: { arity: -1, run: (_ks, [message]) => (message === undefined ? { status: 'PONG' } : message) },
  echo: { arity: 2, run: (_ks, [message]) => message as string },
  del: { arity: -2, run: (ks, keys) => keys.filter((k) => ks.delete(k)).length },
  unlink: { arity: -2, run: (ks, keys) => keys.filter((k) => ks.delete(k)).length },
  exists: { arity: -2, run: (ks, keys) => keys.filter((k) => ks.has(k)).length },
  type: { arity: 2, run: (ks, [key]) => ({ status: ks.get(key as string)?.type ?? 'none' }) },
  expire: expireCommand((s, now) => now + s * 1000),
  pexpire: expireCommand((ms, now) => now + ms),
  expireat: expireCommand((s) => s * 1000),
  pexpireat: expireCommand((ms) => ms),
  ttl: ttlCommand(1000),
  pttl: ttlCommand(1),
  persist: {
    arity: 2,
    run: (ks, [key]) => (ks.expiresAt(key as string) === undefined ? 0 : (ks.setExpiry(key as string, undefined), 1)),
  },
  keys: {
    arity: 2,
    run(ks, [pattern]) {
      const re = globToRegExp(pattern as string);
      return ks.keys().filter((k) => re.test(k));
    },
  },
  // The whole keyspace in one reply with cursor 0: valid SCAN semantics, just a very large page.
  scan: {
    arity: -2,
    run(ks, [cursor, ...rest]) {
      toInt(cursor as string);
      const options = readOptions(rest, [], ['MATCH', 'COUNT', 'TYPE']);
      const match = options.get('MATCH');
      const type = options.get('TYPE');
      const re = typeof match === 'string' ? globToRegExp(match) : undefined;
      const keys = ks.keys().filter((k) => (!re || re.test(k)) && (typeof type !== 'string' || ks.get(k)?.type === type.toLowerCase()));
      return ['0', keys];
    },
  },
  dbsize: { arity: 1, run: (ks) => ks.keys().length },
  flushdb: { arity: -1, run: (ks) => (ks.flush(), OK) },
  flushall: { arity: -1, run: (ks) => (ks.flush(), OK) },
  select: {
    arity: 2,
    run: (_ks, [db]) => {
      if (db !== '0') throw new RedisError('ERR the embedded store has only database 0');
      return OK;
    },
  },
};
