// Dev/test only: the RESP2 reply model shared by the Upstash stand-in, its backends and the Lua bridge.

/** A RESP simple-string reply ("OK", "PONG"); kept apart from bulk strings because Lua sees it as {ok=...}. */
export type StatusReply = { status: string };
export type Reply = string | number | null | StatusReply | Reply[];

export const OK: StatusReply = { status: 'OK' };

export function isStatus(reply: Reply): reply is StatusReply {
  return typeof reply === 'object' && reply !== null && !Array.isArray(reply);
}

/** A command error; `message` is the full RESP error text, e.g. "ERR syntax error". */
export class RedisError extends Error {
  override name = 'RedisError';
}

// Redis 7's wording, so that code matching on error text (as @upstash/ratelimit does for NOSCRIPT) behaves
// the same against the embedded store and a real server.
export const errors = {
  syntax: () => new RedisError('ERR syntax error'),
  notInteger: () => new RedisError('ERR value is not an integer or out of range'),
  notFloat: () => new RedisError('ERR value is not a valid float'),
  wrongType: () => new RedisError('WRONGTYPE Operation against a key holding the wrong kind of value'),
  overflow: () => new RedisError('ERR increment or decrement would overflow'),
  arity: (command: string) => new RedisError(`ERR wrong number of arguments for '${command.toLowerCase()}' command`),
  unknown: (command: string, args: readonly string[]) =>
    new RedisError(
      `ERR unknown command '${command}', with args beginning with: ${args.slice(0, 3).map((a) => `'${a}' `).join('')}`,
    ),
};

/** One entry of a pipeline or multi-exec reply, as Upstash sends it. */
export type Outcome = { result: Reply } | { error: string };

export function outcomeOf(run: () => Reply): Outcome {
  try {
    return { result: run() };
  } catch (err) {
    if (err instanceof RedisError) return { error: err.message };
    throw err;
  }
}
