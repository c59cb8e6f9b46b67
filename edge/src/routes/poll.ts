import { Hono } from 'hono';
import { GenerateRequest, Matchup } from '@stream-fighter/core';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { generateForQueue } from '../room/prewarm.ts';
import { roomStub } from '../room/room-stub.ts';
import { peekVoter } from '../voter/session.ts';
import { cachedPoll } from '../room/snapshot-cache.ts';
import { log } from '../log.ts';

export const pollRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const voterId = await peekVoter(c);
    c.header('cache-control', 'no-store');
    try {
      return c.json(await roomStub(c.env, c.var.config).poll(voterId ?? undefined));
    } catch (err) {
      // The room is unreachable: show the last snapshot it cached, marked stale, rather than nothing.
      const cached = await cachedPoll(c.var.config).catch(() => null);
      if (!cached) throw err;
      log.warn('poll.served-from-cache', { error: err instanceof Error ? err.message : String(err) });
      return c.json({ ...cached, stale: true });
    }
  })
  .post('/generate', requireOperator, async (c) => {
    // The seed's call sends no body at all: that, or an empty one, asks for the defaults.
    const body = await readBody(c, GenerateRequest, undefined, {});
    const { matchups, source, error } = await generateForQueue(c.var.config, { count: body.count, theme: body.theme, seed: crypto.randomUUID() });
    const queue = await roomStub(c.env, c.var.config).enqueue(matchups);
    return c.json({ source, ...(error ? { aiError: error } : {}), added: matchups.length, queue }, 201);
  })
  .post('/rotate', requireOperator, async (c) => {
    return c.json(await roomStub(c.env, c.var.config).rotate());
  })
  .get('/queue', requireOperator, async (c) => {
    return c.json({ queue: await roomStub(c.env, c.var.config).listQueue() });
  })
  .post('/queue', requireOperator, async (c) => {
    const matchup = await readBody(c, Matchup, 16 * 1024);
    return c.json({ queue: await roomStub(c.env, c.var.config).enqueue([{ ...matchup, source: 'operator' }]) }, 201);
  })
  .delete('/queue/:id', requireOperator, async (c) => {
    const id = z.coerce.number().int().positive().safeParse(c.req.param('id'));
    if (!id.success) throw new ApiException(400, 'invalid-id', 'queue id must be a positive integer');
    if (!(await roomStub(c.env, c.var.config).dequeue(id.data))) throw new ApiException(404, 'not-found', `no queued matchup ${id.data}`);
    return c.json({ removed: id.data });
  });
