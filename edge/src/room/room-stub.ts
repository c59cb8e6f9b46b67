import { hash32 } from '@stream-fighter/core/hash';
import type { AppConfig } from '../env.ts';
import { objectUnavailable } from '../http/on-error.ts';
import { log } from '../log.ts';
import type { Arena } from './arena.ts';
import type { VoteInput, VoteOutcome } from './ballot-box.ts';
import { unavailable, type AdmissionOutcome, type VoteShard } from './vote-shard.ts';

/**
 * The stub of the one room this deployment runs (ROOM_NAME; gate.ts refuses every other name). Addressed by name,
 * so the room knows its name (ctx.id.name) from its constructor on, without an extra call.
 */
export function roomStub(env: Env, config: AppConfig): DurableObjectStub<Arena> {
  const ns = env.Arena as unknown as DurableObjectNamespace<Arena>;
  return ns.get(ns.idFromName(config.ROOM_NAME));
}

/** The name of a room's counting shard `i` (vote-shard.ts): made here from the room and a number, never by a client. */
export function shardName(config: AppConfig, i: number): string {
  return `${config.ROOM_NAME}/votes/${i}`;
}

/**
 * The counting shard of a voter, with VOTE_SHARDS set: chosen by a hash of the voter id, which the Worker took from
 * the voter's signed session, so a voter always lands on the same shard and a client cannot choose one.
 */
export function shardStub(env: Env, config: AppConfig, voterId: string): DurableObjectStub<VoteShard> {
  const ns = env.VoteShard as unknown as DurableObjectNamespace<VoteShard>;
  return ns.get(ns.idFromName(shardName(config, hash32(voterId) % config.VOTE_SHARDS)));
}

/**
 * A viewer's vote, where it is admitted: the room itself, or its counting shard when VOTE_SHARDS is set. An object
 * reset or overloaded mid-call is an answer the voter can act on, try again (http/on-error.ts), not a failure of
 * the edge: the vote counted whole or not at all.
 */
export async function admitVote(env: Env, config: AppConfig, input: VoteInput): Promise<AdmissionOutcome> {
  try {
    if (config.VOTE_SHARDS === 0) return (await roomStub(env, config).vote(input)) as VoteOutcome;
    return (await shardStub(env, config, input.voterId).vote(input)) as AdmissionOutcome;
  } catch (e) {
    if (!objectUnavailable(e)) throw e;
    log.warn('vote.object-unavailable', { shards: config.VOTE_SHARDS, error: e instanceof Error ? e.message : String(e) });
    return unavailable();
  }
}
