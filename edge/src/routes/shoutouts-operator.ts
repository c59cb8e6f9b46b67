/**
 * The operator's side of shout-outs: the queue and the log, auto-approval, and approving, rejecting or hiding one.
 * The room decides and tells the operators' dashboards over its WebSocket; Postgres keeps the log of decisions.
 * Banning a sender is a voter route (voters.ts).
 */
import { Hono } from 'hono';
import { ShoutoutSettings } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';
import { services } from '../services.ts';
import { listShoutouts, setShoutoutStatus } from '../db/shoutouts.ts';

const shoutoutId = (id: string): string => {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw badRequest('invalid-id', 'shout-out id must be a UUID');
  return id;
};

export const shoutoutOperatorRoutes = new Hono<AppEnv>()
  .get('/', requireOperator, async (c) => {
    const { config } = c.var;
    const [shoutouts, moderation] = await Promise.all([
      listShoutouts(services(config).db, { include: 'all', limit: 50 }),
      roomStub(c.env, config).moderation(),
    ]);
    return c.json({ shoutouts, pending: moderation.pending, autoApprove: moderation.autoApprove });
  })
  .get('/settings', requireOperator, async (c) => {
    const { autoApprove } = await roomStub(c.env, c.var.config).moderation();
    return c.json({ autoApprove });
  })
  .post('/settings', requireOperator, async (c) => {
    const { autoApprove } = await readBody(c, ShoutoutSettings);
    const state = await roomStub(c.env, c.var.config).setAutoApprove(autoApprove);
    return c.json({ autoApprove: state.autoApprove });
  })
  .post('/:id/approve', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const approved = await roomStub(c.env, c.var.config).approveShoutout(id);
    if (!approved) throw new ApiException(404, 'not-pending', 'no shout-out with that id is waiting for approval');
    await setShoutoutStatus(services(c.var.config).db, id, 'visible', ['pending']);
    return c.json({ approved });
  })
  .post('/:id/reject', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const removed = await roomStub(c.env, c.var.config).rejectShoutout(id);
    // The log may hold one the room no longer does (its queue was cleared by a ban meanwhile): decide it there too.
    const logged = await setShoutoutStatus(services(c.var.config).db, id, 'rejected', ['pending']);
    if (!removed && !logged) throw new ApiException(404, 'not-pending', 'no shout-out with that id is waiting for approval');
    return c.json({ rejected: id });
  })
  .post('/:id/hide', requireOperator, async (c) => {
    const id = shoutoutId(c.req.param('id'));
    const removed = await roomStub(c.env, c.var.config).removeShoutout(id);
    const logged = await setShoutoutStatus(services(c.var.config).db, id, 'hidden');
    if (!removed && !logged) throw new ApiException(404, 'not-found', 'no such shout-out');
    return c.json({ hidden: id });
  });
