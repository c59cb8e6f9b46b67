// Dev/test only: the Neon stand-in's backend when there is no PostgreSQL server: PGlite (Postgres in wasm),
// in memory or persisted to a folder.
import { PGlite } from '@electric-sql/pglite';
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { Mutex } from './mutex.ts';
import type { BatchOptions, SqlBackend, SqlQuery, SqlReply } from './sql-backend.ts';
import { transactionModes } from './sql-backend.ts';

export async function createPgliteBackend(dataDir: string | undefined): Promise<SqlBackend> {
  const db = new PGlite(dataDir);
  await db.waitReady;
  const options = await rawTextOptions(db);
  // PGlite is a single connection: a batch's transaction must own it until COMMIT/ROLLBACK.
  const lock = new Mutex();

  const run = async (target: PGlite | Transaction, q: SqlQuery): Promise<SqlReply> =>
    toReply(await target.query<unknown[]>(q.query, [...q.params], options));

  return {
    name: 'pglite',
    query: (q) => lock.run(() => run(db, q)),
    batch: (queries: readonly SqlQuery[], batchOptions: BatchOptions) =>
      lock.run(() =>
        // PGlite's transaction() issues BEGIN, and ROLLBACK when the callback throws.
        db.transaction(async (tx) => {
          const modes = transactionModes(batchOptions);
          if (modes) await tx.query(modes);
          const replies: SqlReply[] = [];
          for (const q of queries) replies.push(await run(tx, q));
          return replies;
        }),
      ),
    close: () => lock.run(() => db.close()),
  };
}

/**
 * Query options that make PGlite behave like Neon's raw-text mode: rows as arrays of the server's text, params
 * passed through as the text the driver already rendered. PGlite spreads these objects (a Proxy would be lost),
 * so every type OID that exists at start gets an explicit identity entry. Types created later (enums and their
 * arrays) are unknown to PGlite's own tables too, and unknown OIDs already pass through untouched.
 */
async function rawTextOptions(db: PGlite): Promise<QueryOptions> {
  const { rows } = await db.query<{ oid: number }>('select oid::int as oid from pg_type');
  const parsers: NonNullable<QueryOptions['parsers']> = {};
  const serializers: NonNullable<QueryOptions['serializers']> = {};
  for (const { oid } of rows) {
    parsers[oid] = (value: string) => value;
    serializers[oid] = (value: unknown) => String(value);
  }
  return { rowMode: 'array', parsers, serializers };
}

function toReply(result: Results<unknown[]>): SqlReply {
  return {
    command: result.command ?? '',
    rowCount: result.rowCount ?? null,
    rows: result.rows as SqlReply['rows'],
    // PGlite reports only name and type; the rest is what Postgres sends for computed columns.
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: 0,
      columnID: 0,
      dataTypeSize: -1,
      dataTypeModifier: -1,
      format: 'text' as const,
    })),
    rowAsArray: true,
  };
}
