/**
 * The one way the edge reaches Postgres: drizzle over Neon's HTTP SQL endpoint (one fetch per query, no sockets,
 * so it works in a Worker). There are no interactive transactions; atomic work goes in one statement or a db.batch.
 */
import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-http';
import type { NeonHttpDatabase } from 'drizzle-orm/neon-http';
import * as schema from '@stream-fighter/drizzle/schema';

export type Db = NeonHttpDatabase<typeof schema>;

export interface DbOptions {
  databaseUrl: string;
  /**
   * Dev/test: the local Neon stand-in (http://127.0.0.1:PORT/sql). It sets neonConfig.fetchEndpoint, which is
   * GLOBAL to the driver: every client in this isolate or process then talks to that endpoint.
   */
  endpoint?: string;
}

export function createDb({ databaseUrl, endpoint }: DbOptions): Db {
  if (endpoint !== undefined) neonConfig.fetchEndpoint = endpoint;
  return drizzle({ client: neon(databaseUrl), schema });
}
