// Dev/test only: the embedded, in-process Redis behind the Upstash stand-in when no real Redis is given.
// Single-threaded JS makes every command, script and MULTI/EXEC atomic without any locking.
// Hand-written on purpose: ioredis-mock 8.13.1 was tried in its place and failed the stand-in's tests (no
// WRONGTYPE or integer errors, INCR on text stores "NaN", Lua sees nil and arrays from redis.call as userdata).
import type { CommandTable } from './embedded-redis/command-args.ts';
import { toInt } from './embedded-redis/command-args.ts';
import { hashCommands } from './embedded-redis/hash-commands.ts';
import { keyCommands } from './embedded-redis/key-commands.ts';
import { Keyspace } from './embedded-redis/keyspace.ts';
import { listSetCommands } from './embedded-redis/list-set-commands.ts';
import { LuaScripts } from './embedded-redis/lua-scripts.ts';
import { stringCommands } from './embedded-redis/string-commands.ts';
import { zsetCommands } from './embedded-redis/zset-commands.ts';
import type { RedisBackend } from './redis-backend.ts';
import type { Reply } from './redis-reply.ts';
import { OK, RedisError, errors, outcomeOf } from './redis-reply.ts';

const DATA_COMMANDS: CommandTable = { ...keyCommands, ...stringCommands, ...hashCommands, ...zsetCommands, ...listSetCommands };
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'script']);
const ARITY: Record<string, number> = { eval: -3, evalsha: -3, eval_ro: -3, evalsha_ro: -3, script: -2 };
const SWEEP_EVERY_MS = 10_000;

/** The embedded store as a synchronous command executor; `createEmbeddedBackend` wraps it for the server. */
export class EmbeddedRedis {
  readonly keyspace: Keyspace;
  readonly #scripts: LuaScripts;

  constructor(now: () => number = Date.now) {
    this.keyspace = new Keyspace(now);
    this.#scripts = new LuaScripts((args) => this.#run(args, true));
  }

  /** Throws RedisError for unknown commands and wrong argument counts, before anything runs. */
  check([name = '', ...args]: readonly string[]): void {
    const lower = name.toLowerCase();
    const arity = DATA_COMMANDS[lower]?.arity ?? ARITY[lower];
    if (arity === undefined) throw errors.unknown(name, args);
    const count = args.length + 1;
    if (arity >= 0 ? count !== arity : count < -arity) throw errors.arity(lower);
  }

  exec(command: string[]): Reply {
    return this.#run(command, false);
  }

  #run(command: readonly string[], fromScript: boolean): Reply {
    this.check(command);
    const [name = '', ...args] = command;
    const lower = name.toLowerCase();
    if (SCRIPT_COMMANDS.has(lower)) {
      if (fromScript) throw new RedisError('ERR This Redis command is not allowed from script');
      return this.#script(lower, args);
    }
    return (DATA_COMMANDS[lower] as NonNullable<CommandTable[string]>).run(this.keyspace, args);
  }

  #script(lower: string, args: string[]): Reply {
    if (lower === 'script') {
      const [sub = '', ...rest] = args;
      switch (sub.toUpperCase()) {
        case 'LOAD':
          if (rest.length !== 1) throw errors.arity('script|load');
          return this.#scripts.load(rest[0] as string);
        case 'EXISTS':
          return rest.map((sha) => (this.#scripts.has(sha) ? 1 : 0));
        case 'FLUSH':
          this.#scripts.flush();
          return OK;
        default:
          throw new RedisError(`ERR unknown subcommand '${sub}'. Try SCRIPT HELP.`);
      }
    }
    const [scriptOrSha = '', numKeysArg = '', ...rest] = args;
    const numKeys = toInt(numKeysArg);
    if (numKeys < 0) throw new RedisError("ERR Number of keys can't be negative");
    if (numKeys > rest.length) throw new RedisError("ERR Number of keys can't be greater than number of args");
    const sha = lower.startsWith('evalsha') ? scriptOrSha : this.#scripts.load(scriptOrSha);
    return this.#scripts.run(sha, rest.slice(0, numKeys), rest.slice(numKeys));
  }
}

export function createEmbeddedBackend(): RedisBackend {
  const redis = new EmbeddedRedis();
  const sweeper = setInterval(() => redis.keyspace.sweep(), SWEEP_EVERY_MS);
  sweeper.unref();
  return {
    name: 'embedded',
    exec: async (command) => redis.exec(command),
    pipeline: async (commands) => commands.map((c) => outcomeOf(() => redis.exec(c))),
    async multiExec(commands) {
      // Like Redis: a command that cannot even be queued discards the whole transaction.
      for (const c of commands) {
        try {
          redis.check(c);
        } catch (err) {
          if (err instanceof RedisError) throw new RedisError('EXECABORT Transaction discarded because of previous errors.');
          throw err;
        }
      }
      return commands.map((c) => outcomeOf(() => redis.exec(c)));
    },
    async close() {
      clearInterval(sweeper);
    },
  };
}
