import { Hono } from 'hono';
import { z } from 'zod';
import { LEADERBOARD_KINDS, LEADERBOARD_SIZE, toWellFormed, type FighterLeaderboard, type ViewerLeaderboard, type WinsLeaderboard } from '@stream-fighter/core';
import type { AppEnv } from '../app-env.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { edgeCachedJson } from '../http/edge-cache.ts';
import { services, keys } from '../services.ts';
import { BadCursorError, POLL_ID, getPoll, listPolls } from '../db/polls.ts';
import { listFighters } from '../db/fighters.ts';
import { roomStub } from '../room/room-stub.ts';

const ListQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const historyRoutes = new Hono<AppEnv>()
  .get('/polls', async (c) => {
    const q = ListQuery.safeParse(c.req.query());
    if (!q.success) throw badRequest('invalid-query', `${q.error.issues[0]?.path.join('.')}: ${q.error.issues[0]?.message}`);
    const { cursor, limit } = q.data;
    const key = `/api/polls?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    try {
      return await edgeCachedJson(c, key, c.var.config.PUBLIC_CACHE_SECONDS, () => listPolls(services(c.var.config).db, q.data));
    } catch (e) {
      if (e instanceof BadCursorError) throw badRequest('invalid-cursor', 'cursor is not one this API issued');
      throw e;
    }
  })
  .get('/polls/:id', async (c) => {
    const id = c.req.param('id');
    if (!POLL_ID.test(id)) throw badRequest('invalid-id', 'poll id has invalid characters');
    const poll = await getPoll(services(c.var.config).db, id);
    if (!poll) throw new ApiException(404, 'not-found', `no finished poll ${id}`);
    return c.json(poll);
  })
  /**
   * Without `kind`, fighters by wins from the Redis tally, exactly as old clients read it. `kind=fighters`: the
   * season's fighters by rating (Postgres); `kind=viewers`: the highest play-money balances (the room). Each is
   * edge-cached under its own key, so a crowd on /results costs one read per kind per data centre per window.
   */
  .get('/leaderboard', (c) => {
    const kind = c.req.query('kind');
    const ttl = c.var.config.PUBLIC_CACHE_SECONDS;
    if (kind === undefined) {
      return edgeCachedJson(c, '/api/leaderboard', ttl, async (): Promise<WinsLeaderboard> => {
        const flat = await services(c.var.config).redis.zrange<Array<string | number>>(keys.leaderboard, 0, 19, { rev: true, withScores: true });
        const items: WinsLeaderboard['items'] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) items.push({ fighter: String(flat[i]), wins: Number(flat[i + 1]) });
        return { items };
      });
    }
    if (kind === 'fighters') {
      return edgeCachedJson(c, '/api/leaderboard?kind=fighters', ttl, async (): Promise<FighterLeaderboard> => {
        const rows = await listFighters(services(c.var.config).db, { sort: 'rating', limit: LEADERBOARD_SIZE });
        return { kind, items: rows.map(({ id, name, tier, rating, wins, losses, ties }) => ({ id, name, tier, rating, wins, losses, ties })) };
      });
    }
    if (kind === 'viewers') {
      return edgeCachedJson(c, '/api/leaderboard?kind=viewers', ttl, async (): Promise<ViewerLeaderboard> => ({
        kind,
        items: await roomStub(c.env, c.var.config).viewerLeaderboard(LEADERBOARD_SIZE),
      }));
    }
    throw badRequest('invalid-query', `kind must be one of ${LEADERBOARD_KINDS.join(', ')} (or left out for fighters by wins); got ${JSON.stringify(toWellFormed(kind.slice(0, 40)))}`);
  });
