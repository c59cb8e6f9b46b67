import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { drizzle } from 'drizzle-orm/neon-http';
import { migrate as drizzleMigrate } from 'drizzle-orm/neon-http/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrate, redactUrl } from '@stream-fighter/drizzle/migrate';
import type { MigrateEvent } from '@stream-fighter/drizzle/migrate';
import { BACKENDS, DRIVER_URL, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

const run = promisify(execFile);
const MIGRATE_SCRIPT = fileURLToPath(import.meta.resolve('@stream-fighter/drizzle/migrate'));
const TABLES = ['fighter_records', 'fighter_results', 'fighters', 'matchups', 'results', 'shoutouts', 'streams'];
/** Every migration in the folder, in order: the journal drizzle-kit writes. */
const TAGS: string[] = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')).entries.map((e: { tag: string }) => e.tag);

describe.each(BACKENDS)('migrate on $backend', ({ backend }) => {
  const open: TestDb[] = [];
  const fresh = async () => {
    const t = await openTestDb(backend, { migrate: false });
    open.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });
  const tables = async (t: TestDb) =>
    (await t.sql(`select table_name from information_schema.tables where table_schema = 'public' order by 1`)).map((r) => r.table_name);
  const recorded = async (t: TestDb) => t.sql(`select hash, created_at from drizzle.__drizzle_migrations order by id`);

  it('applies every migration once, logs progress, and is a no-op the second time', async () => {
    const t = await fresh();
    const events: MigrateEvent[] = [];
    const first = await migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint, log: (e) => events.push(e) });
    expect(first).toEqual({ applied: TAGS, skipped: [] });
    expect(await tables(t)).toEqual(TABLES);
    expect(events.map((e) => e.event)).toEqual(['migrate.start', ...TAGS.flatMap(() => ['migrate.apply', 'migrate.applied']), 'migrate.done']);
    expect(JSON.stringify(events)).not.toContain('s3cret-pw');

    expect(await migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint })).toEqual({ applied: [], skipped: TAGS });
    expect(await recorded(t)).toHaveLength(TAGS.length);
  });

  it("keeps drizzle's bookkeeping: drizzle's own neon-http migrator finds nothing to do", async () => {
    const t = await fresh();
    await migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint });
    const [row] = await recorded(t);
    const sqlFile = readFileSync(join(MIGRATIONS_FOLDER, `${TAGS[0]}.sql`));
    const { createHash } = await import('node:crypto');
    expect(row?.hash).toBe(createHash('sha256').update(sqlFile).digest('hex'));
    // Would fail on "relation already exists" if it did not recognise the migration as applied.
    await drizzleMigrate(drizzle({ connection: DRIVER_URL }), { migrationsFolder: MIGRATIONS_FOLDER });
    expect(await recorded(t)).toHaveLength(TAGS.length);
  });

  it('lets concurrent migrators race: each migration is applied by one, the others skip it, nobody fails', async () => {
    const t = await fresh();
    const reports = await Promise.all([1, 2, 3].map(() => migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint })));
    // Migrations are locked one at a time, so on a loaded machine one migrator may apply the first and another the
    // next: each exactly once, in whichever reports.
    expect(reports.flatMap((r) => r.applied).sort()).toEqual([...TAGS].sort());
    for (const r of reports) expect([...r.applied, ...r.skipped].sort()).toEqual([...TAGS].sort());
    expect(await recorded(t)).toHaveLength(TAGS.length);
  });

  it('applies a migration whole or not at all', async () => {
    const t = await fresh();
    const folder = mkdtempSync(join(tmpdir(), 'sf-migrations-'));
    try {
      cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalPath = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      const when = journal.entries.at(-1).when + 1_000;
      journal.entries.push({ idx: TAGS.length, version: '7', when, tag: '9999_broken', breakpoints: true });
      writeFileSync(journalPath, JSON.stringify(journal));
      const broken = 'CREATE TABLE "half_done" ("id" int);\n--> statement-breakpoint\nALTER TABLE "no_such_table" ADD COLUMN "x" int;';
      writeFileSync(join(folder, '9999_broken.sql'), broken);

      await expect(migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint, migrationsFolder: folder })).rejects.toThrow(/no_such_table/);
      expect(await tables(t)).toEqual(TABLES); // the real migrations committed; nothing of the broken one
      expect(await recorded(t)).toHaveLength(TAGS.length);

      writeFileSync(join(folder, '9999_broken.sql'), broken.replace('no_such_table', 'half_done'));
      expect(await migrate({ databaseUrl: DRIVER_URL, endpoint: t.endpoint, migrationsFolder: folder })).toEqual({
        applied: ['9999_broken'],
        skipped: TAGS,
      });
      expect(await tables(t)).toEqual([...TABLES, 'half_done'].sort());
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs from the command line with JSON lines and never prints the password', async () => {
    const t = await fresh();
    const env = { PATH: process.env.PATH, DATABASE_URL: DRIVER_URL, NEON_HTTP_ENDPOINT: t.endpoint };
    const ok = await run(process.execPath, [MIGRATE_SCRIPT], { env });
    const lines = ok.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['migrate.start', ...TAGS.flatMap(() => ['migrate.apply', 'migrate.applied']), 'migrate.done']);
    expect(lines[0].database).toBe('postgres://app:***@db.invalid:5432/app');
    expect(ok.stdout + ok.stderr).not.toContain('s3cret-pw');
    expect(await tables(t)).toEqual(TABLES);

    const down = run(process.execPath, [MIGRATE_SCRIPT], { env: { ...env, NEON_HTTP_ENDPOINT: 'http://127.0.0.1:9/sql' } });
    const failed = await down.then(
      () => expect.unreachable('should fail'),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({ event: 'migrate.error' });
    expect(failed.stdout + failed.stderr).not.toContain('s3cret-pw');

    const missing = await run(process.execPath, [MIGRATE_SCRIPT], { env: { PATH: process.env.PATH } }).catch((e: { code: number; stdout: string }) => e);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stdout).toContain('DATABASE_URL is required');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://u:p%40ss@h:5432/db?sslmode=require')).toBe('postgres://u:***@h:5432/db?sslmode=require');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactUrl('not a url p4ss')).toBe('<unparseable url>');
  });
});
