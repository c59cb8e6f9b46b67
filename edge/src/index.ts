/**
 * The Worker: PartyServer routes WebSockets to the Arena room; `/` is the vote page filled in at the edge;
 * everything else under /api is the Hono API. The rest of the site is static assets (wrangler.toml [assets]).
 */
import { routePartykitRequest } from 'partyserver';
import { app } from './app.ts';
import { readConfig } from './env.ts';
import { constantTimeEqual } from './http/constant-time.ts';
import { isSitePage, sitePage } from './site/vote-page.ts';

export { Arena } from './room/arena.ts';

export default {
  async fetch(request, env, ctx): Promise<Response> {
    if (isSitePage(request)) return sitePage.fetch(request, env, ctx);
    const room = await routePartykitRequest(request, env, {
      // Renderers must show their token before the upgrade; viewers connect freely.
      onBeforeConnect: (req) => {
        const url = new URL(req.url);
        if (url.searchParams.get('role') !== 'renderer') return;
        const token = url.searchParams.get('token') ?? '';
        if (!constantTimeEqual(token, readConfig(env).RENDERER_TOKEN)) {
          return Response.json({ error: { code: 'unauthorized', message: 'renderer token missing or wrong' } }, { status: 401 });
        }
      },
    });
    return room ?? app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
