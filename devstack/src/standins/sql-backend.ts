// Dev/test only: what the Neon HTTP stand-in needs from a database, plus the pieces both backends share.

/** One statement as Neon's HTTP API receives it: params already rendered as Postgres text (or null). */
export type SqlQuery = { query: string; params: ReadonlyArray<string | null> };

export type SqlField = {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text';
};

/** The reply shape of Neon's /sql endpoint with `Neon-Array-Mode` and `Neon-Raw-Text-Output`. */
export type SqlReply = {
  command: string;
  rowCount: number | null;
  rows: Array<Array<string | null>>;
  fields: SqlField[];
  rowAsArray: true;
};

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
export type BatchOptions = { isolationLevel?: IsolationLevel; readOnly?: boolean; deferrable?: boolean };

export interface SqlBackend {
  readonly name: 'pglite' | 'postgres';
  query(q: SqlQuery): Promise<SqlReply>;
  /** Runs every query in one transaction; any error rolls all of them back and is rethrown. */
  batch(queries: readonly SqlQuery[], options: BatchOptions): Promise<SqlReply[]>;
  close(): Promise<void>;
}

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

export function isIsolationLevel(value: string): value is IsolationLevel {
  return Object.hasOwn(ISOLATION_SQL, value);
}

/** The transaction modes Neon applies to a batch, as a `SET TRANSACTION` (empty when there are none). */
export function transactionModes(options: BatchOptions): string {
  const modes: string[] = [];
  if (options.isolationLevel) modes.push(`ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}`);
  if (options.readOnly !== undefined) modes.push(options.readOnly ? 'READ ONLY' : 'READ WRITE');
  if (options.deferrable !== undefined) modes.push(options.deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE');
  return modes.length ? `SET TRANSACTION ${modes.join(' ')}` : '';
}

// The fields NeonDbError copies from a 400 reply; pg's and PGlite's DatabaseError both carry these names.
const PG_ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

/** The Postgres error fields of `err`, or undefined when it is not an error reported by the server. */
export function postgresErrorBody(err: unknown): Record<string, unknown> | undefined {
  if (!(err instanceof Error)) return undefined;
  const source = err as Error & Record<string, unknown>;
  if (typeof source.code !== 'string' || typeof source.severity !== 'string') return undefined;
  const body: Record<string, unknown> = { message: err.message };
  for (const key of PG_ERROR_FIELDS) if (source[key] !== undefined) body[key] = source[key];
  return body;
}
