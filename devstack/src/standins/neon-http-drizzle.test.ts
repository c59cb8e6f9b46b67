// drizzle-orm/neon-http against the Neon stand-in, on PGlite and on the PostgreSQL server on this machine.
// Its own file because drizzle() changes the driver's global type parsers (timestamps stay strings).
import { randomBytes } from 'node:crypto';
import { neon, neonConfig } from '@neondatabase/serverless';
import { eq, sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonHttp } from './neon-http.ts';
import type { NeonHttpServer } from './neon-http.ts';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.each([
  { backend: 'pglite', databaseUrl: undefined },
  { backend: 'postgres', databaseUrl: POSTGRES_URL },
])('drizzle-orm/neon-http on the $backend stand-in', ({ databaseUrl }) => {
  const schemaName = `sf_drizzle_${randomBytes(4).toString('hex')}`;
  const fighters = pgSchema(schemaName).table('fighters', {
    id: integer('id').primaryKey(),
    name: text('name').notNull().unique(),
    hp: integer('hp').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  });
  const sql = neon('postgres://app:secret@localhost:5432/app');
  const db = drizzle({ client: sql });
  let server: NeonHttpServer;

  beforeAll(async () => {
    server = await startNeonHttp({ databaseUrl });
    neonConfig.fetchEndpoint = server.url;
    await sql.query(`create schema ${schemaName}`);
    await sql.query(
      `create table ${schemaName}.fighters (id int primary key, name text not null unique, hp int not null, joined_at timestamptz not null default now())`,
    );
  });

  afterAll(async () => {
    neonConfig.fetchEndpoint = server.url;
    await sql.query(`drop schema if exists ${schemaName} cascade`);
    await server.close();
  });

  it('inserts, selects, batches and reports constraint errors', async () => {
    const joinedAt = new Date('2024-05-01T10:00:00.123Z');
    const [zangief] = await db.insert(fighters).values({ id: 40, name: 'Zangief', hp: 150, joinedAt }).returning();
    expect(zangief).toEqual({ id: 40, name: 'Zangief', hp: 150, joinedAt });

    const [, after] = await db.batch([
      db.update(fighters).set({ hp: dsql`${fighters.hp} - 50` }).where(eq(fighters.id, 40)),
      db.select({ hp: fighters.hp }).from(fighters).where(eq(fighters.id, 40)),
    ]);
    expect(after).toEqual([{ hp: 100 }]);

    const err = await db.insert(fighters).values({ id: 41, name: 'Zangief', hp: 1 }).catch((e: unknown) => e);
    expect((err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code).toBe('23505');
    expect(await db.select().from(fighters)).toHaveLength(1);
  });
});
