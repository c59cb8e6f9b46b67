/**
 * The season's fighters, public and read-only: GET /api/fighters (a sorted page) and GET /api/fighters/:id (one
 * fighter's record, rating history and recent fights). Both are answered from the edge cache for
 * PUBLIC_CACHE_SECONDS, like the poll history: records change once a round, and a crowd on the fighters page must
 * not cost Postgres a query per viewer. A 404 is never cached, so a fighter is found as soon as its first fight is
 * recorded.
 */
import { Hono } from 'hono';
import { FighterId, FightersQuery } from '@stream-fighter/core/protocol';
import type { FighterList, FighterPage, FighterSummary } from '@stream-fighter/core/protocol';
import type { AppEnv } from '../app-env.ts';
import { fighterById, listFighters } from '../db/fighters.ts';
import type { FighterView } from '../db/fighters.ts';
import { edgeCachedJson } from '../http/edge-cache.ts';
import { ApiException, badRequest } from '../http/errors.ts';
import { services } from '../services.ts';

/** Only the fields the API promises, in the shared schema's shape. */
function summary(v: FighterView): FighterSummary {
  const { id, name, fighter, tier, rating, wins, losses, ties, kos, streak, fights, firstFoughtAt, lastFoughtAt, retired, active } = v;
  return { id, name, fighter, tier, rating, wins, losses, ties, kos, streak, fights, firstFoughtAt, lastFoughtAt, retired, active };
}

const firstIssue = (e: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }) => {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join('.') || 'query'}: ${i.message}` : 'invalid query';
};

export const fighterRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const q = FightersQuery.safeParse(c.req.query());
    if (!q.success) throw badRequest('invalid-query', firstIssue(q.error), q.error.issues);
    const { sort, limit } = q.data;
    return edgeCachedJson(c, `/api/fighters?sort=${sort}&limit=${limit}`, c.var.config.PUBLIC_CACHE_SECONDS, async (): Promise<FighterList> => {
      const items = await listFighters(services(c.var.config).db, { sort, limit });
      return { sort, items: items.map(summary) };
    });
  })
  .get('/:id', async (c) => {
    const id = FighterId.safeParse(c.req.param('id'));
    if (!id.success) throw badRequest('invalid-id', firstIssue(id.error));
    return edgeCachedJson(c, `/api/fighters/${id.data}`, c.var.config.PUBLIC_CACHE_SECONDS, async (): Promise<FighterPage> => {
      const detail = await fighterById(services(c.var.config).db, id.data);
      // Thrown inside: edgeCachedJson stores only what `produce` returns, so the 404 is not cached.
      if (!detail) throw new ApiException(404, 'not-found', `no fighter ${id.data}`);
      return { fighter: summary(detail.fighter), ratingHistory: detail.ratingHistory, recent: detail.recent };
    });
  });
