// Drives the Neon stand-in with the real @neondatabase/serverless driver and drizzle-orm/neon-http, against
// PGlite and against the PostgreSQL server on this machine: the same assertions for both backends.
// drizzle has its own file: drizzle() globally makes the driver return timestamps as strings, which would
// change what these tests see.
import { randomBytes } from 'node:crypto';
import { NeonDbError, neon, neonConfig } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonHttp } from './neon-http.ts';
import type { NeonHttpServer } from './neon-http.ts';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The driver wants a connection string; the stand-in ignores it (it fronts one fixed database).
const CONNECTION_STRING = 'postgres://app:secret@localhost:5432/app';

describe.each([
  { backend: 'pglite', databaseUrl: undefined },
  { backend: 'postgres', databaseUrl: POSTGRES_URL },
])('neon-http stand-in on $backend', ({ backend, databaseUrl }) => {
  // A schema of our own per run, so runs against the shared server cannot collide and cleanup is one DROP.
  const schema = `sf_neon_${randomBytes(4).toString('hex')}`;
  const logs: Array<Record<string, unknown>> = [];
  let server: NeonHttpServer;
  const sql = neon(CONNECTION_STRING);

  beforeAll(async () => {
    server = await startNeonHttp({ databaseUrl, log: (entry) => logs.push(entry) });
    // A global setting of the driver: each suite points it at its own server before its tests run.
    neonConfig.fetchEndpoint = server.url;
    await sql.query(`create schema ${schema}`);
    await sql.query(`create table ${schema}.fighters (id int primary key, name text not null unique, hp int not null default 100)`);
  });

  afterAll(async () => {
    neonConfig.fetchEndpoint = server.url;
    await sql.query(`drop schema if exists ${schema} cascade`);
    await server.close();
  });

  it('answers /health with its backend and logs which one it chose', async () => {
    const res = await fetch(server.url.replace(/\/sql$/, '/health'));
    expect(await res.json()).toEqual({ ok: true, backend });
    expect(logs.find((l) => l.msg === 'neon-http: listening')).toMatchObject({ backend });
    expect(JSON.stringify(logs)).not.toContain('secret');
  });

  it('round-trips int, bigint, text, bool, timestamptz, jsonb, arrays and null', async () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    const rows = await sql`select ${7}::int as i, ${9007199254740993n}::bigint as big, ${'héllo "w"'}::text as t,
      ${true}::bool as yes, ${false}::bool as no, ${at}::timestamptz as at, ${{ a: [1, 'x'], b: null }}::jsonb as j,
      ${[1, 2, 3]}::int[] as ints, ${['a,b', 'c"d', null]}::text[] as texts, ${null}::text as nothing,
      1.5::float8 as f, 12.30::numeric as n`;
    expect(rows).toEqual([
      {
        i: 7,
        big: '9007199254740993',
        t: 'héllo "w"',
        yes: true,
        no: false,
        at,
        j: { a: [1, 'x'], b: null },
        ints: [1, 2, 3],
        texts: ['a,b', 'c"d', null],
        nothing: null,
        f: 1.5,
        n: '12.30',
      },
    ]);
  });

  it('sends the wire shape Neon sends: array rows of raw text and real type OIDs', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      body: JSON.stringify({ query: 'select $1::int as n, $2::jsonb as j, null::text as z', params: ['7', '{"a":1}'] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fields: Array<{ name: string; dataTypeID: number }> };
    expect(body).toMatchObject({ command: 'SELECT', rowCount: 1, rows: [['7', '{"a": 1}', null]], rowAsArray: true });
    expect(body.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['n', 23],
      ['j', 3802],
      ['z', 25],
    ]);
  });

  it('reports command and rowCount in full results', async () => {
    const full = neon(CONNECTION_STRING, { fullResults: true });
    const inserted = await full.query(`insert into ${schema}.fighters (id, name) values ($1, $2), ($3, $4)`, [1, 'Ryu', 2, 'Ken']);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 2 });
    const updated = await full.query(`update ${schema}.fighters set hp = hp - 10 where id = any($1)`, [[1, 2]]);
    expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 2 });
    const selected = await full.query(`select id, hp from ${schema}.fighters order by id`);
    expect(selected.rows).toEqual([{ id: 1, hp: 90 }, { id: 2, hp: 90 }]);
    expect(selected.fields.map((f) => f.dataTypeID)).toEqual([23, 23]);
  });

  it('turns a unique violation into NeonDbError with the Postgres fields', async () => {
    const err = await sql.query(`insert into ${schema}.fighters (id, name) values (3, 'Ryu')`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeonDbError);
    expect(err).toMatchObject({
      code: '23505',
      severity: 'ERROR',
      schema,
      table: 'fighters',
      constraint: 'fighters_name_key',
      detail: 'Key (name)=(Ryu) already exists.',
    });
  });

  it('reports syntax errors with their position', async () => {
    const err = await sql.query('select from from nowhere').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeonDbError);
    expect(err).toMatchObject({ code: '42601', position: '13' });
  });

  it('runs sql.transaction batches in one transaction', async () => {
    const [inserted, count, txids] = await sql.transaction((tx) => [
      tx.query(`insert into ${schema}.fighters (id, name) values ($1, $2) returning id`, [10, 'Chun-Li']),
      tx.query(`select count(*)::int as n from ${schema}.fighters`),
      tx.query('select txid_current() as a, txid_current() as b'),
    ]);
    expect(inserted).toEqual([{ id: 10 }]);
    expect(count).toEqual([{ n: 3 }]);
    expect(txids).toHaveLength(1);
    const again = await sql.query('select txid_current() as a');
    expect(again[0]?.a).not.toBe(txids?.[0]?.a);
  });

  it('rolls back the whole batch when one query fails', async () => {
    const before = await sql.query(`select count(*)::int as n from ${schema}.fighters`);
    const err = await sql
      .transaction([
        sql.query(`insert into ${schema}.fighters (id, name) values (20, 'Guile')`),
        sql.query(`update ${schema}.fighters set hp = 1`),
        sql.query(`insert into ${schema}.fighters (id, name) values (21, 'Ken')`),
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NeonDbError);
    expect(err).toMatchObject({ code: '23505' });
    expect(await sql.query(`select count(*)::int as n from ${schema}.fighters`)).toEqual(before);
    expect(await sql.query(`select count(*)::int as n from ${schema}.fighters where hp = 1`)).toEqual([{ n: 0 }]);
  });

  it('applies the batch isolation level and read-only mode', async () => {
    const [level] = await sql.transaction([sql.query("select current_setting('transaction_isolation') as l")], {
      isolationLevel: 'Serializable',
    });
    expect(level).toEqual([{ l: 'serializable' }]);
    const err = await sql
      .transaction([sql.query(`insert into ${schema}.fighters (id, name) values (30, 'Blanka')`)], { readOnly: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '25006' });
  });

  it('keeps concurrent batches and queries apart', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => 100 + i);
    await Promise.all(
      ids.map((id) =>
        id % 3 === 0
          ? sql.query(`insert into ${schema}.fighters (id, name) values ($1, $2)`, [id, `f${id}`])
          : sql.transaction([
              sql.query(`insert into ${schema}.fighters (id, name) values ($1, $2)`, [id, `f${id}`]),
              sql.query(`update ${schema}.fighters set hp = hp + 1 where id = $1`, [id]),
            ]),
      ),
    );
    const rows = await sql.query(`select count(*)::int as n, sum(hp)::int as hp from ${schema}.fighters where id >= 100`);
    expect(rows).toEqual([{ n: 12, hp: 12 * 100 + 8 }]);
  });

  it('refuses several statements in one query, as Neon prepares every statement', async () => {
    const err = await sql.query('select 1; select 2').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '42601' });
  });

  it('answers malformed requests with 400 and a message', async () => {
    for (const body of ['{not json', '[]', '{"query": 1}', '{"queries": [{"query": "select 1", "params": [{}]}]}']) {
      const res = await fetch(server.url, { method: 'POST', body });
      expect(res.status, body).toBe(400);
      expect(typeof ((await res.json()) as { message?: unknown }).message).toBe('string');
    }
    const wrongPath = await fetch(server.url.replace(/\/sql$/, '/nope'), { method: 'POST', body: '{}' });
    expect(wrongPath.status).toBe(404);
  });
});

describe('neon-http stand-in start-up', () => {
  it('persists PGlite data in dataDir across restarts', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'sf-pglite-'));
    const sql = neon(CONNECTION_STRING);
    try {
      const first = await startNeonHttp({ dataDir });
      neonConfig.fetchEndpoint = first.url;
      await sql.query('create table kept (v text)');
      await sql.query("insert into kept values ('still here')");
      await first.close();
      const second = await startNeonHttp({ dataDir });
      neonConfig.fetchEndpoint = second.url;
      expect(await sql.query('select v from kept')).toEqual([{ v: 'still here' }]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start when PostgreSQL is unreachable, without printing the password', async () => {
    const err = await startNeonHttp({ databaseUrl: 'postgres://postgres:hunter2@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/cannot reach PostgreSQL/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
