// Dev/test only: parses a Neon HTTP SQL request (body + batch headers) into what a SqlBackend runs.
import type { IncomingHttpHeaders } from 'node:http';
import { BadRequest } from './http-util.ts';
import type { BatchOptions, SqlQuery } from './sql-backend.ts';
import { isIsolationLevel } from './sql-backend.ts';

export type NeonRequest =
  | { kind: 'query'; query: SqlQuery }
  | { kind: 'batch'; queries: SqlQuery[]; options: BatchOptions };

export function parseNeonRequest(body: unknown, headers: IncomingHttpHeaders): NeonRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('body must be {query, params} or {queries: [...]}');
  }
  const record = body as Record<string, unknown>;
  if ('queries' in record) {
    if (!Array.isArray(record.queries)) throw new BadRequest('"queries" must be an array');
    return { kind: 'batch', queries: record.queries.map(parseQuery), options: batchOptions(headers) };
  }
  return { kind: 'query', query: parseQuery(record) };
}

function parseQuery(value: unknown): SqlQuery {
  if (typeof value !== 'object' || value === null) throw new BadRequest('each query must be an object');
  const { query, params = [] } = value as Record<string, unknown>;
  if (typeof query !== 'string') throw new BadRequest('"query" must be a string');
  if (!Array.isArray(params)) throw new BadRequest('"params" must be an array');
  return { query, params: params.map(parseParam) };
}

// The driver renders every value to Postgres text before sending; a stray number or boolean is still
// unambiguous as text, anything else means the client is not the Neon driver.
function parseParam(value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new BadRequest('each param must be a string or null');
}

function batchOptions(headers: IncomingHttpHeaders): BatchOptions {
  const options: BatchOptions = {};
  const level = header(headers, 'neon-batch-isolation-level');
  if (level !== undefined) {
    if (!isIsolationLevel(level)) throw new BadRequest(`unknown isolation level "${level}"`);
    options.isolationLevel = level;
  }
  const readOnly = booleanHeader(headers, 'neon-batch-read-only');
  if (readOnly !== undefined) options.readOnly = readOnly;
  const deferrable = booleanHeader(headers, 'neon-batch-deferrable');
  if (deferrable !== undefined) options.deferrable = deferrable;
  return options;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function booleanHeader(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const value = header(headers, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new BadRequest(`header ${name} must be "true" or "false"`);
}
