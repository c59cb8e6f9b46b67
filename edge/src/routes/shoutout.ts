/**
 * Shout-outs: a voter sends one, the filter screens it, and the room either airs it (auto-approval) or queues it
 * for an operator, whose dashboard is told over the room's WebSocket. Operators approve, reject, hide, switch
 * auto-approval and ban voters here. The room decides; Postgres keeps the log of who sent what and what was decided.
 */
import { Hono } from 'hono';
import { ShoutoutRequest, ShoutoutSettings, type Shoutout } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { addressKey, clientAddress } from '../http/address.ts';
import { readBody } from '../http/body.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { limiters } from '../http/limits.ts';
import { requireOperator } from '../http/operator.ts';
import { screenText } from '../moderation.ts';
import { arena } from '../room/stub.ts';
import { services } from '../services.ts';
import { addShoutout, listShoutouts, moderateVoter, setShoutoutStatus } from '../db/shoutouts.ts';
import { peekVoter } from '../voter/session.ts';

const shoutoutId = (id: string): string => {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw badRequest('invalid-id', 'shout-out id must be a UUID');
  return id;
};

/** Session ids (`<kind>-<base64url>` or a bare base64url) and bridge accounts (`twitch:<id>`). */
const voterId = (id: string): string => {
  if (!/^[A-Za-z0-9_:-]{1,80}$/.test(id)) throw badRequest('invalid-voter-id', 'voter id must be 1-80 characters of A-Z a-z 0-9 _ : -');
  return id;
};

export const shoutoutRoutes = new Hono<AppEnv>()
  .post('/shoutout', async (c) => {
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
    const limit = await limiters(config).shoutout.limit(address);
    c.executionCtx.waitUntil(limit.pending);
    if (!limit.success) throw new ApiException(429, 'rate-limited', 'one shout-out at a time; try again in a minute');
    const shout: Shoutout = { id: crypto.randomUUID(), user: body.user, message: body.message, at: Date.now() };
    const room = arena(c.env, config);
    const admitted = await room.addShoutout(shout, voter);
    if (!admitted.ok) {
      if (admitted.code === 'banned') throw new ApiException(403, 'banned', 'this voter was banned by an operator');
      throw new ApiException(429, 'queue-full', 'too many shout-outs are waiting for the operator; try again later');
    }
    try {
      await addShoutout(services(config).db, { ...shout, voterId: voter, addressKey: address, status: admitted.status });
    } catch (e) {
      // Nothing airs or waits without its log entry: the operator could not find its sender afterwards.
      await room.removeShoutout(shout.id);
      throw e;
    }
    // 202: accepted, but on air only once an operator approves it.
    return c.json({ shoutout: shout, status: admitted.status }, admitted.status === 'visible' ? 201 : 202);
  })
  .get('/shoutouts', requireOperator, async (c) => {
    const { config } = c.var;
    const [shoutouts, moderation] = await Promise.all([
      listShoutouts(services(config).db, { include: 'all', limit: 50 }),
      arena(c.env, config).moderation(),
    ]);
    return c.json({ shoutouts, pending: moderation.pending, autoApprove: moderation.autoApprove });
  })
  .get('/shoutouts/settings', requireOperator, async (c) => {
    const { autoApprove } = await arena(c.env, c.var.config).moderation();
    return c.json({ autoApprove });
  })
  .post('/shoutouts/settings', requireOperator, async (c) => {
    const { autoApprove } = await readBody(c, ShoutoutSettings);
    const state = await arena(c.env, c.var.config).setAutoApprove(autoApprove);
    return c.json({ autoApprove: state.autoApprove });
  })
  .post('/shoutouts/:id/approve', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const approved = await arena(c.env, c.var.config).approveShoutout(id);
    if (!approved) throw new ApiException(404, 'not-pending', 'no shout-out with that id is waiting for approval');
    await setShoutoutStatus(services(c.var.config).db, id, 'visible', ['pending']);
    return c.json({ approved });
  })
  .post('/shoutouts/:id/reject', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const removed = await arena(c.env, c.var.config).rejectShoutout(id);
    // The log may hold one the room no longer does (its queue was cleared by a ban meanwhile): decide it there too.
    const logged = await setShoutoutStatus(services(c.var.config).db, id, 'rejected', ['pending']);
    if (!removed && !logged) throw new ApiException(404, 'not-pending', 'no shout-out with that id is waiting for approval');
    return c.json({ rejected: id });
  })
  .post('/shoutouts/:id/hide', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const removed = await arena(c.env, c.var.config).removeShoutout(id);
    const logged = await setShoutoutStatus(services(c.var.config).db, id, 'hidden');
    if (!removed && !logged) throw new ApiException(404, 'not-found', 'no such shout-out');
    return c.json({ hidden: id });
  })
  .post('/voters/:id/ban', requireOperator, async (c) => {
    const id = voterId(c.req.param('id'));
    const room = arena(c.env, c.var.config);
    // The room first: from here on it refuses this voter's votes and shout-outs, whatever the log says.
    const { banned } = await room.banVoter(id);
    const { rejected, hidden } = await moderateVoter(services(c.var.config).db, id);
    if (hidden.length > 0) await room.takeDownShoutouts(hidden);
    return c.json({ voterId: id, banned: true, alreadyBanned: !banned, rejected, hidden });
  })
  .delete('/voters/:id/ban', requireOperator, async (c) => {
    const id = voterId(c.req.param('id'));
    const unbanned = await arena(c.env, c.var.config).unbanVoter(id);
    if (!unbanned) throw new ApiException(404, 'not-banned', 'that voter is not banned');
    return c.json({ voterId: id, banned: false });
  });
