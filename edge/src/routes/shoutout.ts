import { Hono } from 'hono';
import { ShoutoutRequest, type Shoutout } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import { clientIp, limiters } from '../http/limits.ts';
import { requireOperator } from '../http/operator.ts';
import { screenText } from '../moderation.ts';
import { arena } from '../room/stub.ts';
import { services } from '../services.ts';
import { addShoutout, listShoutouts, setShoutoutStatus } from '../db/shoutouts.ts';

async function sha256Hex(s: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 32);
}

export const shoutoutRoutes = new Hono<AppEnv>()
  .post('/shoutout', async (c) => {
    const { config } = c.var;
    const body = await readBody(c, ShoutoutRequest);
    for (const [field, text] of [['user', body.user], ['message', body.message]] as const) {
      const verdict = screenText(text);
      if (!verdict.ok) throw new ApiException(422, 'refused', `${field}: ${verdict.reason}`);
    }
    const ip = clientIp(c.req.raw.headers);
    const limit = await limiters(config).shoutout.limit(ip);
    c.executionCtx.waitUntil(limit.pending);
    if (!limit.success) throw new ApiException(429, 'rate-limited', 'one shout-out at a time; try again in a minute');
    const shout: Shoutout = { id: crypto.randomUUID(), user: body.user, message: body.message, at: Date.now() };
    // The log comes first: what went on air can always be found and hidden afterwards.
    await addShoutout(services(config).db, { ...shout, ipHash: await sha256Hex(`${config.VOTER_SECRET}:${ip}`) });
    await arena(c.env, config).addShoutout(shout);
    return c.json({ shoutout: shout }, 201);
  })
  .get('/shoutouts', requireOperator, async (c) => {
    return c.json({ shoutouts: await listShoutouts(services(c.var.config).db, { include: 'all', limit: 50 }) });
  })
  .post('/shoutouts/:id/hide', requireOperator, async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ApiException(400, 'invalid-id', 'shout-out id must be a UUID');
    const found = await setShoutoutStatus(services(c.var.config).db, id, 'hidden');
    if (!found) throw new ApiException(404, 'not-found', 'no such shout-out');
    await arena(c.env, c.var.config).removeShoutout(id);
    return c.json({ hidden: id });
  });
