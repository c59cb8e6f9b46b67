/**
 * The season's cycle (room/season-desk.ts): GET /api/season, public (where the cycle is, the bracket, past
 * champions; from the edge cache for PUBLIC_CACHE_SECONDS, as it changes once a round), and the operator's: GET
 * /api/season/now (the same from the room, uncached) and POST /api/season (start a tournament now, skip to
 * matchmaking, set the cycle's lengths).
 */
import { Hono } from 'hono';
import { SeasonAction, type SeasonResponse } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { readBody } from '../http/body.ts';
import { edgeCachedJson } from '../http/edge-cache.ts';
import { requireOperator } from '../http/operator.ts';
import { roomStub } from '../room/room-stub.ts';

export const seasonRoutes = new Hono<AppEnv>()
  .get('/', (c) => edgeCachedJson(c, '/api/season', c.var.config.PUBLIC_CACHE_SECONDS, (): Promise<SeasonResponse> => roomStub(c.env, c.var.config).seasonView()))
  // The operator's read, from the room and never cached: the dashboard fills its length fields from it, and a copy a
  // few seconds old would write the old lengths back on the next save.
  .get('/now', requireOperator, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await roomStub(c.env, c.var.config).seasonView());
  })
  .post('/', requireOperator, async (c) => {
    const act = await readBody(c, SeasonAction);
    return c.json(await roomStub(c.env, c.var.config).seasonAction(act));
  });
