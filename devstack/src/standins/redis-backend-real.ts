// Dev/test only: the Upstash stand-in's backend for a real Redis server, through node-redis. Commands go
// through raw sendCommand on a RESP2 connection so replies keep the shapes Upstash sends (HGETALL flat,
// scores as strings); node-redis's per-command reply transforms never run.
import { ErrorReply, MultiErrorReply, createClient } from 'redis';
import type { Log } from './http-util.ts';
import { redactUrl } from './http-util.ts';
import type { RedisBackend } from './redis-backend.ts';
import type { Outcome, Reply } from './redis-reply.ts';
import { RedisError } from './redis-reply.ts';
import { ScriptCompat } from './redis-script-compat.ts';

// They change the state of the one shared connection (or block it), which would corrupt other requests.
const CONNECTION_COMMANDS = new Set([
  'select', 'multi', 'exec', 'discard', 'watch', 'unwatch', 'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe',
  'punsubscribe', 'monitor', 'quit', 'reset', 'hello', 'auth', 'client', 'blpop', 'brpop', 'blmove', 'bzpopmin',
  'bzpopmax', 'wait', 'xread', 'xreadgroup',
]);

export async function createRealBackend(redisUrl: string, log: Log): Promise<RedisBackend> {
  let connected = false;
  const client = createClient({
    url: redisUrl,
    RESP: 2,
    socket: {
      // Give up quickly when the server is not there at start (a clear error beats a hang); once connected,
      // keep reconnecting with backoff so a Redis restart does not kill the dev server.
      reconnectStrategy: (retries: number, cause: Error) => (!connected && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 2000)),
    },
  });
  client.on('error', (err: Error) => log({ level: 'error', msg: 'upstash-rest: redis connection error', error: err.message, url: redactUrl(redisUrl) }));
  try {
    await client.connect();
  } catch (err) {
    client.destroy();
    throw new Error(`cannot reach Redis at ${redactUrl(redisUrl)}: ${(err as Error).message}`);
  }
  connected = true;

  function guard(command: readonly string[]): void {
    const name = (command[0] ?? '').toLowerCase();
    if (CONNECTION_COMMANDS.has(name)) throw new RedisError(`ERR '${name}' is not available through the local Upstash stand-in`);
  }

  const scripts = new ScriptCompat();

  async function exec(command: string[]): Promise<Reply> {
    guard(command);
    for (let attempt = 1; ; attempt++) {
      try {
        return toReply(await client.sendCommand(scripts.prepare(command)));
      } catch (err) {
        if (attempt < 3 && err instanceof ErrorReply && scripts.learn(err.message)) continue;
        throw asRedisError(err);
      }
    }
  }

  return {
    name: 'redis',
    exec,
    pipeline: (commands) =>
      // node-redis writes these back to back on one connection, in order: a pipeline, not a transaction.
      Promise.all(commands.map((c) => exec(c).then((result): Outcome => ({ result }), (err: unknown) => outcome(err)))),
    async multiExec(commands) {
      commands.forEach(guard);
      const multi = client.multi();
      for (const c of commands) multi.addCommand(scripts.prepare(c));
      try {
        return (await multi.exec()).map((r) => ({ result: toReply(r) }));
      } catch (err) {
        // Runtime errors inside EXEC arrive as one MultiErrorReply holding every reply, errors included.
        if (err instanceof MultiErrorReply) {
          return err.replies.map((r: unknown): Outcome => {
            if (!(r instanceof ErrorReply)) return { result: toReply(r) };
            scripts.learn(r.message); // too late for this transaction, but later ones get the fixed script
            return { error: r.message };
          });
        }
        throw asRedisError(err);
      }
    },
    async close() {
      await client.close();
    },
  };
}

function outcome(err: unknown): Outcome {
  if (err instanceof RedisError) return { error: err.message };
  throw err;
}

function asRedisError(err: unknown): unknown {
  return err instanceof ErrorReply ? new RedisError(err.message) : err;
}

/** node-redis with RESP2 and no transform yields strings, numbers, null and arrays (Buffers only if asked). */
function toReply(value: unknown): Reply {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(toReply);
  // An error element nested in an array (a script returning one): Upstash has no slot for it, send nil.
  if (value instanceof ErrorReply) return null;
  throw new Error(`unexpected reply from redis: ${typeof value}`);
}
