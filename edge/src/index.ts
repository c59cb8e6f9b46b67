/**
 * The Worker: PartyServer routes WebSockets to the Arena room; `/` is the vote page filled in at the edge;
 * everything else under /api is the Hono API. The rest of the site is static assets (wrangler.toml [assets]).
 */
import { routePartykitRequest } from 'partyserver';
import { app } from './app.ts';
import { readConfig } from './env.ts';
import { ApiException } from './http/errors.ts';
import { admitToRoom, isRoomPath, refusal } from './room/gate.ts';

export { Arena } from './room/arena.ts';

export default {
  async fetch(request, env, ctx): Promise<Response> {
    if (!isRoomPath(new URL(request.url))) return app.fetch(request, env, ctx);
    // Refused here, a request never creates nor wakes a Durable Object.
    try {
      admitToRoom(request, readConfig(env));
    } catch (e) {
      if (e instanceof ApiException) return refusal(e);
      throw e;
    }
    const room = await routePartykitRequest(request, env);
    return room ?? app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
