// Dev/test only: the Neon stand-in's backend for a real PostgreSQL server, through a `pg` Pool.
import pg from 'pg';
import { redactUrl } from './http-util.ts';
import type { BatchOptions, SqlBackend, SqlField, SqlQuery, SqlReply } from './sql-backend.ts';
import { transactionModes } from './sql-backend.ts';

// Neon answers with Postgres TEXT and lets the driver parse by OID, so pg must not parse anything itself.
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export async function createPostgresBackend(databaseUrl: string): Promise<SqlBackend> {
  const pool = new pg.Pool({ connectionString: databaseUrl, types: RAW_TEXT, max: 10 });
  // An idle client can die (server restart); without a listener that would crash the dev server.
  pool.on('error', () => undefined);
  // Fail at start with a clear message rather than on the first request.
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(databaseUrl)}: ${(err as Error).message}`);
  }

  async function run(client: pg.Pool | pg.PoolClient, q: SqlQuery): Promise<SqlReply> {
    // 'extended' even without params: Neon prepares every statement, so several statements in one query fail
    // here as they do there, instead of silently running through the simple protocol.
    const config = { text: q.query, values: [...q.params], rowMode: 'array' as const, queryMode: 'extended' as const };
    const result = await client.query(config as pg.QueryArrayConfig);
    return toReply(result);
  }

  return {
    name: 'postgres',
    query: (q) => run(pool, q),
    async batch(queries: readonly SqlQuery[], options: BatchOptions) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const modes = transactionModes(options);
        if (modes) await client.query(modes);
        const replies: SqlReply[] = [];
        for (const q of queries) replies.push(await run(client, q));
        await client.query('COMMIT');
        client.release();
        return replies;
      } catch (err) {
        // Roll back, then hand the connection back; if even that fails the connection is discarded.
        await client.query('ROLLBACK').then(() => client.release(), (e: Error) => client.release(e));
        throw err;
      }
    },
    close: () => pool.end(),
  };
}

function toReply(result: pg.QueryArrayResult): SqlReply {
  const fields: SqlField[] = result.fields.map((f) => ({
    name: f.name,
    dataTypeID: f.dataTypeID,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: 'text',
  }));
  return { command: result.command, rowCount: result.rowCount, rows: result.rows as SqlReply['rows'], fields, rowAsArray: true };
}
