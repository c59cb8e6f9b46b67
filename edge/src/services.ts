/**
 * Clients for the outside services, built once per isolate from the parsed config. The same production clients
 * run locally: there the URLs point at the dev stand-ins (devstack/src/standins), which speak the real wire protocols.
 */
import { Redis } from '@upstash/redis/cloudflare';
import type { AppConfig } from './env.ts';
import { createDb, type Db } from './db/client.ts';

export interface Services {
  redis: Redis;
  db: Db;
}

const cache = new WeakMap<AppConfig, Services>();

export function services(config: AppConfig): Services {
  let s = cache.get(config);
  if (!s) {
    s = {
      // Plain JSON replies rather than base64: every value here is UTF-8 text (JSON, ids), and decoding base64 for
      // each reply of a vote batch's pipeline is measurable work on the room's single thread.
      redis: new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN, enableTelemetry: false, responseEncoding: false }),
      db: createDb({ databaseUrl: config.DATABASE_URL, endpoint: config.NEON_HTTP_ENDPOINT }),
    };
    cache.set(config, s);
  }
  return s;
}

/** Redis keys, in one place so the room, the API and the tests agree. */
export const keys = {
  leaderboard: 'sf:leaderboard',
  /** Set once a round's win is on the leaderboard, so a retried archive never counts it twice (room/archiver.ts). */
  leaderboardCounted: (room: string, pollId: string) => `sf:lb:counted:${room}:${pollId}`,
  snapshot: (room: string) => `sf:snapshot:${room}`,
  voted: (room: string, pollId: string, voterId: string) => `sf:voted:${room}:${pollId}:${voterId}`,
  turnstileUsed: (token: string) => `sf:ts:${token.slice(0, 64)}`,
};
