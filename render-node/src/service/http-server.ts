/**
 * The render node's own HTTP surface (node:http): `GET /health` for Docker and the operator, `GET /metrics` for
 * Prometheus, `GET /snapshot.png` for a look at what is on air. Every failure is logged and answered with a
 * short JSON error; nothing here can take the process down.
 *
 * /health is 200 while every desired stream is live or has been within HEALTH_NOT_LIVE_SEC, and 503 (degraded,
 * naming each stream and why) once one has not: a process that runs but streams nothing is not healthy, and
 * Docker's HEALTHCHECK, which sees only the status code, should say so.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renderMetrics, type MetricsSample } from './metrics.ts';
import { maskKey, type Logger } from './log.ts';
import type { ManagedStatus, NotLive } from './streams-manager.ts';

export interface HttpDeps {
  sample(): Omit<MetricsSample, 'rssBytes' | 'uptimeSeconds'>;
  snapshotPng(): Promise<Buffer>;
  /** Desired streams not live for too long; any makes /health answer 503. */
  notLive(): NotLive[];
  log: Logger;
}

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(opts: HttpDeps & { host: string; port: number }): Promise<HttpServer> {
  const { log } = opts;
  const startedAt = process.uptime();
  // The health check reports how late timers fire: a stuck render loop shows up here before anywhere else.
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();

  const sample = (): MetricsSample => ({ ...opts.sample(), rssBytes: process.memoryUsage.rss(), uptimeSeconds: process.uptime() - startedAt });

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: { code: 'method-not-allowed', message: 'GET only' } });

    void (async () => {
      try {
        if (path === '/health') {
          const s = sample();
          const notLive = opts.notLive();
          const lagMs = loop.max / 1e6;
          loop.reset();
          json(notLive.length === 0 ? 200 : 503, {
            ok: notLive.length === 0,
            ...(notLive.length > 0 ? { status: 'degraded', degraded: notLive.map(publicNotLive) } : {}),
            room: { connected: s.room.connected, lagSeconds: s.room.lagSeconds },
            streams: s.streams.map(publicStatus),
            eventLoopDelayMaxMs: Math.round(lagMs),
            uptimeSeconds: Math.round(s.uptimeSeconds),
          });
        } else if (path === '/metrics') {
          send(200, 'text/plain; version=0.0.4; charset=utf-8', renderMetrics(sample()));
        } else if (path === '/snapshot.png') {
          send(200, 'image/png', await opts.snapshotPng());
        } else {
          json(404, { error: { code: 'not-found', message: `no route ${path}` } });
        }
      } catch (e) {
        log.error('http.failed', { path, error: e });
        if (!res.headersSent) json(500, { error: { code: 'internal', message: 'internal error' } });
        else res.destroy();
      }
    })();
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  log.info('http.listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((ok) => {
        loop.disable();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** Keys are masked here: /health answers anyone who can reach the port. */
function publicStatus(s: ManagedStatus) {
  return { ...s, streamKey: maskKey(s.streamKey), ...(s.error ? { error: s.error.replaceAll(s.streamKey, '***') } : {}) };
}

function publicNotLive(n: NotLive) {
  const error = n.error?.replaceAll(n.streamKey, '***');
  return {
    streamKey: maskKey(n.streamKey),
    screenId: n.screenId,
    state: n.state,
    notLiveSec: n.notLiveSec,
    reason: `not live for ${n.notLiveSec} s (${n.state})${error ? `: ${error}` : ''}`,
  };
}
