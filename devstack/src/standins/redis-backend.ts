// Dev/test only: what the Upstash REST stand-in needs from a Redis, whichever one it is.
import type { Outcome, Reply } from './redis-reply.ts';

export interface RedisBackend {
  readonly name: 'redis' | 'embedded';
  /** One command; rejects with RedisError for a command error. */
  exec(command: string[]): Promise<Reply>;
  /** Independent commands in order; each gets its own result or error (Upstash /pipeline). */
  pipeline(commands: string[][]): Promise<Outcome[]>;
  /** MULTI/EXEC: atomic; runtime errors are per command, a command that cannot be queued fails it all. */
  multiExec(commands: string[][]): Promise<Outcome[]>;
  close(): Promise<void>;
}
