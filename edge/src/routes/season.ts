/**
 * The season's cycle (room/season-desk.ts): GET /api/season, public (where the cycle is, the bracket, past
 * champions; from the edge cache for PUBLIC_CACHE_SECONDS, as it changes once a round), and POST /api/season, the
 * operator's: start a tournament now, skip to matchmaking, set the cycle's lengths.
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
  .post('/', requireOperator, async (c) => {
    const act = await readBody(c, SeasonAction);
    return c.json(await roomStub(c.env, c.var.config).seasonAction(act));
  });
