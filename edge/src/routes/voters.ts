/**
 * An operator's say over one voter, a site session or a chat account alike: ban and unban (the room refuses a
 * banned voter's votes and shout-outs), and erasure (deleting what the edge holds about them). The id is checked by
 * the protocol's VoterId, the same schema the OpenAPI document shows.
 */
import { Hono, type Context } from 'hono';
import { VoterId } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { VOTED_MARKER_SEC } from '../room/admission.ts';
import { roomStub, shardStub } from '../room/room-stub.ts';
import { keys, services } from '../services.ts';
import { moderateVoter } from '../db/shoutouts.ts';
import { deleteVoterShoutouts, pollsFinishedSince } from '../db/personal-data.ts';

/** Markers are written just after a round's votes; allow for a round archived a little after its last marker. */
const MARKER_SLACK_MS = 10 * 60 * 1000;

function voterId(c: Context<AppEnv>): string {
  const parsed = VoterId.safeParse(c.req.param('id'));
  if (!parsed.success) throw badRequest('invalid-id', parsed.error.issues[0]?.message ?? 'not a voter id');
  return parsed.data;
}

export const voterRoutes = new Hono<AppEnv>()
  .post('/:id/ban', requireOperator, async (c) => {
    const id = voterId(c);
    const room = roomStub(c.env, c.var.config);
    // The room first: from here on it refuses this voter's votes and shout-outs, whatever the log says.
    const { banned } = await room.banVoter(id);
    const { rejected, hidden } = await moderateVoter(services(c.var.config).db, id);
    if (hidden.length > 0) await room.takeDownShoutouts(hidden);
    return c.json({ voterId: id, banned: true, alreadyBanned: !banned, rejected, hidden });
  })
  .delete('/:id/ban', requireOperator, async (c) => {
    const id = voterId(c);
    const unbanned = await roomStub(c.env, c.var.config).unbanVoter(id);
    if (!unbanned) throw new ApiException(404, 'not-banned', 'that voter is not banned');
    return c.json({ voterId: id, banned: false });
  })
  /**
   * An erasure request: the room's vote rows, their shout-outs (off the air too, and those waiting for an
   * operator) and the voted markers in Redis. The round tallies are anonymous counts and stay; the live round's
   * dedupe row stays until it is pruned (storage.ts).
   */
  .delete('/:id', requireOperator, async (c) => {
    const id = voterId(c);
    const { config } = c.var;
    const { db, redis } = services(config);
    const room = roomStub(c.env, config);

    const inRoom = await room.forgetVoter(id);
    // A counting shard's copy of the voter's votes (room/shard-book.ts) follows the room's.
    if (config.VOTE_SHARDS > 0) await shardStub(c.env, config, id).forget(id);
    const shoutouts = await deleteVoterShoutouts(db, id);
    if (shoutouts.length > 0) await room.takeDownShoutouts(shoutouts);
    // The exact keys, from the polls whose markers can still exist: no SCAN over the whole keyspace.
    const archived = await pollsFinishedSince(db, new Date(Date.now() - VOTED_MARKER_SEC * 1000 - MARKER_SLACK_MS));
    const markerKeys = [...new Set([...inRoom.polls, ...archived])].map((poll) => keys.voted(config.ROOM_NAME, poll, id));
    const markers = markerKeys.length > 0 ? await redis.del(...markerKeys) : 0;

    // A vote in the live round keeps its dedupe row until the usual pruning, so it can never be cast twice.
    return c.json({ voterId: id, deleted: { votes: inRoom.votes, shoutouts: shoutouts.length, markers }, keptUntilRoundEnds: { votes: inRoom.keptUntilRoundEnds } });
  });
