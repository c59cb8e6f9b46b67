import { Hono } from 'hono';
import { StreamStartRequest, StreamStopQuery } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';
import { services } from '../services.ts';
import { stopStream, upsertStream } from '../db/streams.ts';
import { log } from '../log.ts';
import { orRefuse } from './screens.ts';

/**
 * The seed's stream API, as desired state: the room keeps it and pushes it to renderers, which report what
 * is actually running; GET shows both. Postgres keeps the history (best effort: the room is the source). A stream
 * names a screen (routes/screens.ts); an unknown one is created with the defaults.
 */
export const streamRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .get('/', async (c) => c.json({ streams: await roomStub(c.env, c.var.config).streams() }))
  .post('/', async (c) => {
    const body = await readBody(c, StreamStartRequest);
    const { streams, createdScreen } = orRefuse(await roomStub(c.env, c.var.config).startStream(body));
    c.executionCtx.waitUntil(
      upsertStream(services(c.var.config).db, body).catch((e: unknown) => log.warn('stream.history-failed', { error: String(e) })),
    );
    // The seed's example names a screen nobody made (`test`): it exists now, with the defaults, and the reply says so.
    return c.json(createdScreen ? { streams, createdScreen } : { streams }, 201);
  })
  .delete('/', async (c) => {
    const q = StreamStopQuery.safeParse({ streamKey: c.req.query('streamKey') });
    if (!q.success) throw badRequest('invalid-query', `streamKey: ${q.error.issues[0]?.message ?? 'required'}`);
    if (!(await roomStub(c.env, c.var.config).stopStream(q.data.streamKey))) {
      throw new ApiException(404, 'not-found', 'no such stream');
    }
    c.executionCtx.waitUntil(
      stopStream(services(c.var.config).db, q.data.streamKey).catch((e: unknown) => log.warn('stream.history-failed', { error: String(e) })),
    );
    return c.json({ stopped: q.data.streamKey });
  });
