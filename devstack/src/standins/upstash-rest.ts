// Dev/test only: a local stand-in for Upstash Redis's REST API, so `@upstash/redis` and `@upstash/ratelimit`
// run unchanged. Backed by a real Redis (`redisUrl`) or by an embedded in-process store: no binary, no
// download. Never deploy it; it exists so development and tests need no Upstash account.
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeReply } from './base64-reply.ts';
import { BadRequest, closeServer, listen, parseJson, readBody, redactUrl, sendJson } from './http-util.ts';
import type { Log } from './http-util.ts';
import type { RedisBackend } from './redis-backend.ts';
import { createEmbeddedBackend } from './redis-backend-embedded.ts';
import { createRealBackend } from './redis-backend-real.ts';
import type { Outcome } from './redis-reply.ts';
import { RedisError } from './redis-reply.ts';
import { parseCommand, parseCommands } from './upstash-command.ts';

export type UpstashRestOptions = {
  port?: number;
  host?: string;
  /** The bearer token clients must send. */
  token: string;
  /** redis:// URL of a real server to front; without it the embedded store is used. */
  redisUrl?: string;
  log?: Log;
};

export type UpstashRestServer = { url: string; port: number; backend: 'redis' | 'embedded'; close(): Promise<void> };

export async function startUpstashRest(opts: UpstashRestOptions): Promise<UpstashRestServer> {
  if (!opts.token) throw new Error('startUpstashRest: a token is required');
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const backend = opts.redisUrl ? await createRealBackend(opts.redisUrl, log) : createEmbeddedBackend();
  const expected = Buffer.from(`Bearer ${opts.token}`);
  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer((req, res) => {
    handle(backend, authorized, log, req, res).catch((err: unknown) => {
      log({ level: 'error', msg: 'upstash-rest: unhandled', error: String(err) });
      if (!res.headersSent) sendJson(res, 500, { error: 'ERR internal error in the local Upstash stand-in' });
    });
  });
  const port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host}:${port}`;
  log({
    level: 'info',
    msg: 'upstash-rest: listening',
    url,
    backend: backend.name,
    ...(opts.redisUrl ? { redis: redactUrl(opts.redisUrl) } : {}),
  });
  return {
    url,
    port,
    backend: backend.name,
    async close() {
      await closeServer(server);
      await backend.close();
    },
  };
}

async function handle(
  backend: RedisBackend,
  authorized: (req: IncomingMessage) => boolean,
  log: Log,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { ok: true, backend: backend.name });
  if (!authorized(req)) {
    log({ level: 'warn', msg: 'upstash-rest: unauthorized', path });
    return sendJson(res, 401, { error: 'Unauthorized' });
  }
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'ERR use POST' });

  const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
  const encodeOutcome = (o: Outcome) => ('error' in o ? o : { result: encodeReply(o.result, base64) });
  const started = performance.now();
  try {
    const body = parseJson(await readBody(req));
    if (path === '/') {
      const command = parseCommand(body);
      const result = await backend.exec(command);
      sendJson(res, 200, { result: encodeReply(result, base64) });
      log({ level: 'debug', msg: 'upstash-rest: command', command: command[0], ms: elapsed(started) });
    } else if (path === '/pipeline' || path === '/multi-exec') {
      const commands = parseCommands(body);
      const outcomes = path === '/pipeline' ? await backend.pipeline(commands) : await backend.multiExec(commands);
      sendJson(res, 200, outcomes.map(encodeOutcome));
      const failed = outcomes.filter((o) => 'error' in o).length;
      log({ level: 'debug', msg: `upstash-rest: ${path.slice(1)}`, commands: commands.map((c) => c[0]), failed, ms: elapsed(started) });
    } else {
      sendJson(res, 404, { error: `ERR no route ${path}` });
    }
  } catch (err) {
    if (err instanceof RedisError || err instanceof BadRequest) {
      log({ level: 'debug', msg: 'upstash-rest: error reply', path, error: err.message });
      return sendJson(res, 400, { error: err.message });
    }
    throw err;
  }
}

const elapsed = (since: number) => Math.round(performance.now() - since);
