/**
 * Applies drizzle-kit's migrations through the Neon HTTP driver, the only way this project reaches Postgres.
 *
 * Why not drizzle-orm/neon-http/migrator as is: it sends every statement as its own HTTP request (the driver has no
 * interactive transactions) and records the applied migrations only at the very end, so a statement that fails half
 * way leaves the earlier ones applied and unrecorded, and every later run then fails on "already exists". Here each
 * migration goes as ONE Neon batch, which the server runs in one transaction: its statements and its bookkeeping row
 * commit together or not at all. Bookkeeping is drizzle's own (drizzle.__drizzle_migrations, same hash and
 * created_at), so drizzle's migrator and drizzle-kit see a database migrated here as up to date, and the reverse.
 *
 * Run: DATABASE_URL=postgres://… [NEON_HTTP_ENDPOINT=http://127.0.0.1:PORT/sql] node drizzle/migrate.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { neon, neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/neon-http';
import { z } from 'zod';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
const SCHEMA = 'drizzle';
const TABLE = '__drizzle_migrations';
/** Any constant works; it only has to be the same for every migrator of this project. */
const LOCK_KEY = 7_262_011;
/** Raised inside the batch when another migrator committed this migration while we waited for the lock. */
const ALREADY_APPLIED = 'stream-fighter: migration already applied';

export type MigrateEvent = { event: string } & Record<string, unknown>;

export interface MigrateOptions {
  databaseUrl: string;
  /** Neon HTTP endpoint to use instead of the one derived from the URL's host (local stand-in). Global to the driver. */
  endpoint?: string;
  migrationsFolder?: string;
  log?: (event: MigrateEvent) => void;
}

export interface MigrateReport {
  applied: string[];
  /** Migrations that were already in the database. */
  skipped: string[];
}

export async function migrate(options: MigrateOptions): Promise<MigrateReport> {
  const { databaseUrl, endpoint, migrationsFolder = MIGRATIONS_FOLDER, log = () => {} } = options;
  if (endpoint !== undefined) neonConfig.fetchEndpoint = endpoint;
  const db = drizzle({ client: neon(databaseUrl) });
  const table = sql`${sql.identifier(SCHEMA)}.${sql.identifier(TABLE)}`;

  const migrations = readMigrationFiles({ migrationsFolder });
  const tags = journalTags(migrationsFolder);
  log({ event: 'migrate.start', database: redactUrl(databaseUrl), endpoint: endpoint ?? null, migrations: migrations.length });

  const lock = () => db.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_KEY))})`);
  // Under the lock too: concurrent "create … if not exists" can still collide in Postgres' catalogs.
  await db.batch([
    lock(),
    db.execute(sql`create schema if not exists ${sql.identifier(SCHEMA)}`),
    db.execute(sql`create table if not exists ${table} (id serial primary key, hash text not null, created_at bigint)`),
  ]);
  // Same rule as drizzle's migrator: everything newer than the newest recorded migration is pending.
  const last = await db.execute<{ created_at: string | null }>(sql`select created_at from ${table} order by created_at desc limit 1`);
  const lastMillis = Number(last.rows[0]?.created_at ?? -1);

  const report: MigrateReport = { applied: [], skipped: [] };
  for (const [i, m] of migrations.entries()) {
    const tag = tags[i] ?? String(m.folderMillis);
    if (m.folderMillis <= lastMillis) {
      report.skipped.push(tag);
      continue;
    }
    const statements = m.sql.map((s) => s.trim()).filter((s) => s.length > 0);
    const started = performance.now();
    log({ event: 'migrate.apply', tag, statements: statements.length });
    try {
      await db.batch([
        // Serialises concurrent migrators (two deploys at once); the lock ends with the batch's transaction.
        lock(),
        db.execute(
          sql.raw(
            `do $$ begin if exists (select 1 from "${SCHEMA}"."${TABLE}" where created_at >= ${m.folderMillis}) ` +
              `then raise exception '${ALREADY_APPLIED}'; end if; end $$`,
          ),
        ),
        ...statements.map((s) => db.execute(sql.raw(s))),
        db.execute(sql`insert into ${table} (hash, created_at) values (${m.hash}, ${m.folderMillis})`),
      ]);
    } catch (error) {
      if (errorMessage(error).includes(ALREADY_APPLIED)) {
        log({ event: 'migrate.skip', tag, reason: 'applied concurrently' });
        report.skipped.push(tag);
        continue;
      }
      throw error;
    }
    log({ event: 'migrate.applied', tag, ms: Math.round(performance.now() - started) });
    report.applied.push(tag);
  }
  log({ event: 'migrate.done', applied: report.applied.length, skipped: report.skipped.length });
  return report;
}

/** The connection string with its password replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

function journalTags(folder: string): string[] {
  const Journal = z.object({ entries: z.array(z.object({ tag: z.string() })) });
  return Journal.parse(JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8'))).entries.map((e) => e.tag);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes the URL's password from any text, raw or percent-encoded, in case a driver error quotes the URL. */
function scrub(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  return text.replaceAll(password, '***').replaceAll(decodeURIComponent(password), '***');
}

const Env = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL'),
  NEON_HTTP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'NEON_HTTP_ENDPOINT must be an http(s) URL' }).optional(),
});

async function main(): Promise<void> {
  const line = (event: MigrateEvent) => console.log(JSON.stringify({ ...event, at: new Date().toISOString() }));
  const env = Env.safeParse({
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    NEON_HTTP_ENDPOINT: process.env.NEON_HTTP_ENDPOINT || undefined,
  });
  if (!env.success) {
    line({ event: 'migrate.error', error: 'bad environment', issues: env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    process.exitCode = 2;
    return;
  }
  const databaseUrl = env.data.DATABASE_URL;
  try {
    await migrate({ databaseUrl, endpoint: env.data.NEON_HTTP_ENDPOINT, log: line });
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    line({ event: 'migrate.error', error: scrub(errorMessage(error), databaseUrl), code });
    process.exitCode = 1;
  }
}

if (import.meta.main) await main();
