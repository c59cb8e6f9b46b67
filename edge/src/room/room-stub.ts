import type { AppConfig } from '../env.ts';
import type { Arena } from './arena.ts';

/**
 * The stub of the one room this deployment runs (ROOM_NAME; gate.ts refuses every other name). Addressed by name,
 * so the room knows its name (ctx.id.name) from its constructor on, without an extra call.
 */
export function roomStub(env: Env, config: AppConfig): DurableObjectStub<Arena> {
  const ns = env.Arena as unknown as DurableObjectNamespace<Arena>;
  return ns.get(ns.idFromName(config.ROOM_NAME));
}
