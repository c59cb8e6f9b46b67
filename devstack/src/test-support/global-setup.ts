/**
 * Starts what the Worker talks to before its tests run in workerd: the Neon-HTTP and Upstash-REST stand-ins,
 * in front of the real PostgreSQL (a fresh database, migrated) and Redis (a database index of its own, emptied)
 * when they are there, and a chat webhook for the room's alerts. The Worker gets their URLs as bindings
 * (vitest.config.ts).
 */
import type { TestProject } from 'vitest/node';
import { migrate } from '@stream-fighter/drizzle/migrate';
import { startFakeChatWebhook } from '../fakes/chat-webhook.ts';
import { startNeonHttp } from '../standins/neon-http.ts';
import { startUpstashRest } from '../standins/upstash-rest.ts';
import { emptyRedisDatabase, freshPostgresDatabase, reachable, TEST_POSTGRES_URL, TEST_REDIS_URL } from './real-servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    neonEndpoint: string;
    upstashUrl: string;
    upstashToken: string;
    backends: string;
    /** The room's alert webhook (edge/src/alerts): a local stand-in for Discord and Slack (fakes/chat-webhook.ts). */
    alertWebhookUrl: string;
  }
}

/**
 * Redis database index for each project of Worker tests, so emptying it never touches anyone else's keys: the
 * sharded run of the vote tests (vitest.config.ts) runs beside the main one and counts the same addresses.
 */
const REDIS_DB: Record<string, number> = { workers: 11, 'workers-sharded': 8 };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  let databaseUrl: string | undefined;
  if (await reachable(TEST_POSTGRES_URL)) {
    const fresh = await freshPostgresDatabase('sf_workers');
    databaseUrl = fresh.url;
    cleanups.push(fresh.drop);
  }
  const neon = await startNeonHttp({ port: 0, ...(databaseUrl ? { databaseUrl } : {}) });
  cleanups.unshift(neon.close);
  await migrate({ databaseUrl: 'postgres://app@db.local/app', endpoint: neon.url, log: () => {} });

  let redisUrl: string | undefined;
  if (await reachable(TEST_REDIS_URL)) {
    redisUrl = await emptyRedisDatabase(REDIS_DB[project.name] ?? 11);
  }
  const token = 'workers-test-token';
  const upstash = await startUpstashRest({ port: 0, token, ...(redisUrl ? { redisUrl } : {}) });
  cleanups.unshift(upstash.close);

  const webhook = await startFakeChatWebhook();
  cleanups.unshift(webhook.close);

  project.provide('neonEndpoint', neon.url);
  project.provide('alertWebhookUrl', webhook.url);
  project.provide('upstashUrl', upstash.url);
  project.provide('upstashToken', token);
  project.provide('backends', `postgres=${databaseUrl ? 'real' : 'pglite'} redis=${redisUrl ? 'real' : 'embedded'}`);
  return async () => {
    for (const c of cleanups) await c().catch(() => {});
  };
}
