/**
 * The Worker: PartyServer routes WebSockets to the Arena room (a viewer of a big room to the relay the Arena
 * names); `/` is the vote page filled in at the edge; everything else under /api is the Hono API. The rest of the site is static assets (wrangler.toml [assets]).
 */
import { routePartykitRequest } from 'partyserver';
import { app } from './app.ts';
import { readConfig } from './env.ts';
import { ApiException } from './http/errors.ts';
import { admitToRoom, isRoomPath, refusal } from './room/gate.ts';
import { addressTagOf } from './room/limits.ts';
import { relayName } from './room/relay-desk.ts';
import type { Relay } from './room/relay.ts';
import { roomStub } from './room/room-stub.ts';
import { connectionTags } from './room/socket-auth.ts';

export { Arena } from './room/arena.ts';
export { Relay } from './room/relay.ts';
export { VoteShard } from './room/vote-shard.ts';

export default {
  async fetch(request, env, ctx): Promise<Response> {
    if (!isRoomPath(new URL(request.url))) return app.fetch(request, env, ctx);
    // Refused here, a request never creates nor wakes a Durable Object.
    const config = readConfig(env);
    let role;
    try {
      role = admitToRoom(request, config);
    } catch (e) {
      if (e instanceof ApiException) return refusal(e);
      throw e;
    }
    // A viewer of a big room goes to the relay the Arena names (room/relay-desk.ts).
    if (role === 'viewer') {
      const relay = await roomStub(env, config).placeViewer(addressTagOf(await connectionTags(request, config)) ?? '');
      if (relay !== null) {
        const ns = env.Relay as unknown as DurableObjectNamespace<Relay>;
        return ns.get(ns.idFromName(relayName(config.ROOM_NAME, relay))).fetch(request);
      }
    }
    const room = await routePartykitRequest(request, env);
    return room ?? app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
