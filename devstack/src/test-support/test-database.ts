/**
 * Node-only test support (imported by *.node.test.ts, never by the Worker): a migrated, throw-away database
 * behind the local Neon stand-in, on the real PostgreSQL server of this machine or on PGlite.
 */
import { migrate } from '@stream-fighter/drizzle/migrate';
import { startNeonHttp } from '../standins/neon-http.ts';
import type { NeonHttpServer } from '../standins/neon-http.ts';
import { createDb } from '@stream-fighter/edge/src/db/client.ts';
import type { Db } from '@stream-fighter/edge/src/db/client.ts';
import { freshPostgresDatabase, TEST_POSTGRES_URL } from './real-servers.ts';

export const POSTGRES_URL = TEST_POSTGRES_URL;
/** What the driver is given; the stand-in ignores it (it fronts one fixed database). Has a password on purpose. */
export const DRIVER_URL = 'postgres://app:s3cret-pw@db.invalid:5432/app';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: { backend: Backend }[] = [{ backend: 'postgres' }, { backend: 'pglite' }];

export interface TestDb {
  db: Db;
  endpoint: string;
  /** Direct SQL on the same database, for checks and fault injection that the app code must not offer. */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A fresh database: `sf_test_<random>` on PostgreSQL (dropped by close), or an in-memory PGlite. */
export async function openTestDb(backend: Backend, options: { migrate?: boolean } = {}): Promise<TestDb> {
  let server: NeonHttpServer;
  let dropDatabase = async () => {};
  if (backend === 'postgres') {
    const fresh = await freshPostgresDatabase('sf_test');
    server = await startNeonHttp({ databaseUrl: fresh.url });
    dropDatabase = fresh.drop;
  } else {
    server = await startNeonHttp({});
  }
  const db = createDb({ databaseUrl: DRIVER_URL, endpoint: server.url });
  if (options.migrate !== false) await migrate({ databaseUrl: DRIVER_URL, endpoint: server.url });
  return {
    db,
    endpoint: server.url,
    async sql(text, params = []) {
      const res = await fetch(server.url, { method: 'POST', body: JSON.stringify({ query: text, params }) });
      const body = (await res.json()) as { rows?: unknown[][]; fields?: { name: string }[]; message?: string };
      if (!res.ok || !body.rows || !body.fields) throw new Error(`test sql failed: ${body.message ?? res.status}`);
      const fields = body.fields;
      return body.rows.map((row) => Object.fromEntries(fields.map((f, i) => [f.name, row[i]])));
    },
    async close() {
      await server.close();
      await dropDatabase();
    },
  };
}
