/**
 * An operator deletes what the edge holds about one voter (an erasure request): the room's vote rows, their
 * shout-outs (off the air too, and those waiting for an operator) and the voted markers in Redis. The round
 * tallies are anonymous counts and stay; the live round's dedupe row stays until it is pruned (storage.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { VOTED_MARKER_SEC } from '../room/admission.ts';
import { arena } from '../room/stub.ts';
import { keys, services } from '../services.ts';
import { deleteVoterShoutouts, pollsFinishedSince } from '../db/personal-data.ts';

/** What a voter id can be (voter/token.ts signs no other). */
const VOTER_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Markers are written just after a round's votes; allow for a round archived a little after its last marker. */
const MARKER_SLACK_MS = 10 * 60 * 1000;

export const voterDataRoutes = new Hono<AppEnv>().delete('/:id', requireOperator, async (c) => {
  const id = c.req.param('id');
  if (!VOTER_ID.test(id)) throw new ApiException(400, 'invalid-id', 'voter id must be 8-64 letters, digits, _ or -');
  const { config } = c.var;
  const { db, redis } = services(config);
  const room = arena(c.env, config);

  const inRoom = await room.forgetVoter(id);
  const shoutouts = await deleteVoterShoutouts(db, id);
  if (shoutouts.length > 0) await room.takeDownShoutouts(shoutouts);
  // The exact keys, from the polls whose markers can still exist: no SCAN over the whole keyspace.
  const archived = await pollsFinishedSince(db, new Date(Date.now() - VOTED_MARKER_SEC * 1000 - MARKER_SLACK_MS));
  const markerKeys = [...new Set([...inRoom.polls, ...archived])].map((poll) => keys.voted(config.ROOM_NAME, poll, id));
  const markers = markerKeys.length > 0 ? await redis.del(...markerKeys) : 0;

  // A vote in the live round keeps its dedupe row until the usual pruning, so it can never be cast twice.
  return c.json({ voterId: id, deleted: { votes: inRoom.votes, shoutouts: shoutouts.length, markers }, keptUntilRoundEnds: { votes: inRoom.keptUntilRoundEnds } });
});
