import type { AppConfig } from '../env.ts';
import type { Arena } from './arena.ts';

/** The room's stub. Name-based addressing gives PartyServer the room name (ctx.id.name) without an extra call. */
export function arena(env: Env, config: AppConfig): DurableObjectStub<Arena> {
  const ns = env.Arena as unknown as DurableObjectNamespace<Arena>;
  return ns.get(ns.idFromName(config.ROOM_NAME));
}
