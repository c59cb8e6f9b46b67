// Dev/test only: a local stand-in for Neon's HTTP SQL endpoint, so `@neondatabase/serverless` (and
// drizzle-orm/neon-http) run unchanged against PGlite or a plain PostgreSQL server. Never deploy it: it has
// no authentication and ignores the connection string the driver sends.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequest, closeServer, listen, parseJson, readBody, redactUrl, sendJson } from './http-util.ts';
import type { Log } from './http-util.ts';
import { parseNeonRequest } from './neon-request.ts';
import type { SqlBackend } from './sql-backend.ts';
import { postgresErrorBody } from './sql-backend.ts';
import { createPgliteBackend } from './sql-backend-pglite.ts';
import { createPostgresBackend } from './sql-backend-postgres.ts';

export type NeonHttpOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** A plain postgres:// URL: front that server. Without it, PGlite is used. */
  databaseUrl?: string;
  /** PGlite's data folder when there is no databaseUrl; undefined keeps the database in memory. */
  dataDir?: string;
  log?: Log;
};

export type NeonHttpServer = { url: string; port: number; close(): Promise<void> };

export async function startNeonHttp(opts: NeonHttpOptions = {}): Promise<NeonHttpServer> {
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const backend = opts.databaseUrl ? await createPostgresBackend(opts.databaseUrl) : await createPgliteBackend(opts.dataDir);
  const server = createServer((req, res) => {
    handle(backend, log, req, res).catch((err: unknown) => {
      log({ level: 'error', msg: 'neon-http: unhandled', error: String(err) });
      if (!res.headersSent) sendJson(res, 500, { message: 'internal error' });
    });
  });
  const port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host}:${port}/sql`;
  log({
    level: 'info',
    msg: 'neon-http: listening',
    url,
    backend: backend.name,
    target: opts.databaseUrl ? redactUrl(opts.databaseUrl) : (opts.dataDir ?? 'memory'),
  });
  return {
    url,
    port,
    async close() {
      await closeServer(server);
      await backend.close();
    },
  };
}

async function handle(backend: SqlBackend, log: Log, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { ok: true, backend: backend.name });
  if (path !== '/sql') return sendJson(res, 404, { message: `no route ${req.method} ${path}` });
  if (req.method !== 'POST') return sendJson(res, 405, { message: 'use POST /sql' });

  const started = performance.now();
  try {
    const request = parseNeonRequest(parseJson(await readBody(req)), req.headers);
    if (request.kind === 'query') {
      sendJson(res, 200, await backend.query(request.query));
    } else {
      sendJson(res, 200, { results: await backend.batch(request.queries, request.options) });
    }
    log({ level: 'debug', msg: 'neon-http: ok', kind: request.kind, ms: elapsed(started) });
  } catch (err) {
    const pgError = postgresErrorBody(err);
    if (pgError) {
      log({ level: 'debug', msg: 'neon-http: postgres error', code: pgError.code, ms: elapsed(started) });
      return sendJson(res, 400, pgError);
    }
    if (err instanceof BadRequest) {
      log({ level: 'warn', msg: 'neon-http: bad request', error: err.message });
      return sendJson(res, 400, { message: err.message });
    }
    throw err;
  }
}

const elapsed = (since: number) => Math.round(performance.now() - since);
