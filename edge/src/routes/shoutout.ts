/**
 * A voter sends a shout-out: the filter screens it, and the room either airs it (auto-approval) or queues it for
 * an operator (shoutouts-operator.ts). The room decides; Postgres keeps the log of who sent what.
 */
import { Hono } from 'hono';
import { ShoutoutRequest, type Shoutout } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import { checkLimit, limiters } from '../http/limits.ts';
import { screenText } from '../moderation.ts';
import type { ShoutoutAdmission } from '../room/shoutout-desk.ts';
import { roomStub } from '../room/room-stub.ts';
import { services } from '../services.ts';
import { addShoutout } from '../db/shoutouts.ts';
import { peekVoter } from '../voter/session.ts';

const refusals: Record<Extract<ShoutoutAdmission, { ok: false }>['code'], () => ApiException> = {
  banned: () => new ApiException(403, 'banned', 'this voter was banned by an operator'),
  'already-pending': () => new ApiException(429, 'already-pending', 'your last shout-out is still waiting for the operator; send another once it is approved or rejected'),
  'queue-full': () => new ApiException(429, 'queue-full', 'too many shout-outs are waiting for the operator; try again later'),
};

export const shoutoutRoutes = new Hono<AppEnv>().post('/', async (c) => {
  const { config } = c.var;
  const body = await readBody(c, ShoutoutRequest);
  // Tied to a voter session, so a sender can be banned; a new visitor gets one with their first vote.
  const voter = await peekVoter(c);
  if (!voter) throw new ApiException(401, 'voter-required', 'shout-outs need a voter session (vote first); the X-Voter-Token or sf_voter cookie is missing, invalid or expired');
  for (const [field, text] of [['user', body.user], ['message', body.message]] as const) {
    const verdict = screenText(text, config.SHOUTOUT_BLOCKLIST);
    if (!verdict.ok) throw new ApiException(422, 'refused', `${field}: ${verdict.reason}`);
  }
  const address = await addressKey(config, clientAddress(c.req.raw.headers));
  const limit = await checkLimit(limiters(config).shoutout, address, 'shoutout', (p) => c.executionCtx.waitUntil(p));
  if (!limit.ok) {
    c.header('retry-after', String(limit.retryAfterSec));
    throw new ApiException(429, 'rate-limited', 'one shout-out at a time; try again in a minute');
  }
  const shout: Shoutout = { id: crypto.randomUUID(), user: body.user, message: body.message, at: Date.now() };
  const room = roomStub(c.env, config);
  const admitted = await room.addShoutout(shout, voter);
  if (!admitted.ok) throw refusals[admitted.code]();
  try {
    await addShoutout(services(config).db, { ...shout, voterId: voter, addressKey: address, status: admitted.status });
  } catch (e) {
    // Nothing airs or waits without its log entry: the operator could not find its sender afterwards.
    await room.removeShoutout(shout.id);
    throw e;
  }
  // 202: accepted, but on air only once an operator approves it.
  return c.json({ shoutout: shout, status: admitted.status }, admitted.status === 'visible' ? 201 : 202);
});
