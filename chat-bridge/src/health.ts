/**
 * The bridge's HTTP surface (node:http): `GET /health` for Docker and the operator. 200 while every chat source
 * is connected (or paused by the operator, which is a choice, not a fault) and the edge takes the votes; 503
 * otherwise, naming each reason. The body counts, per source, what is buffered, sent and dropped and why, and says
 * whether this bridge holds the source's lease (`lease`: held, waiting, standby; a standby is not a fault).
 * Everything in it passes the log's scrubber: a source's detail may quote a platform error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatSourceId, ChatSourceState } from '@stream-fighter/core';
import type { LeaseKeeper, Standing } from './lease-keeper.ts';
import type { RootLogger } from './log.ts';
import type { EdgeState, Relay, SourceCounts } from './relay.ts';
import type { ReporterState, StatusReporter } from './status-reporter.ts';
import type { ChatSource } from './source.ts';

/** The edge failing for this long makes the bridge unhealthy: votes are not reaching the room. */
export const EDGE_DOWN_MS = 30_000;

export interface Health {
  ok: boolean;
  reasons: string[];
  sources: Array<{ source: ChatSourceId; state: ChatSourceState; detail?: string; paused: boolean; lease: Standing; leaseMsLeft: number | null } & SourceCounts>;
  /** BRIDGE_NAME: how the room and the dashboard know this bridge. */
  bridge: string | null;
  edge: { votes: EdgeState; status: ReporterState };
  uptimeSeconds: number;
}

const EMPTY: SourceCounts = {
  buffered: 0,
  sent: 0,
  requests: 0,
  dropped: { chatter: 0, invalid: 0, paused: 0, standby: 0, overflow: 0, rejected: 0 },
  room: { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0 },
};

export function health(o: {
  sources: readonly ChatSource[];
  relay: Relay;
  reporter: Pick<StatusReporter, 'state'>;
  startedAt: number;
  now?: number;
  bridge?: string;
  leases?: LeaseKeeper;
}): Health {
  const now = o.now ?? Date.now();
  const counts = o.relay.counts();
  const reasons: string[] = [];
  const sources = o.sources.map((s) => {
    const { state, detail } = s.status();
    const paused = o.relay.isPaused(s.id);
    if (state !== 'connected' && !paused) reasons.push(`${s.id} is ${state}${detail ? `: ${detail}` : ''}`);
    const lease = o.leases?.standing(s.id) ?? 'held';
    return { source: s.id, state, ...(detail ? { detail } : {}), paused, lease, leaseMsLeft: o.leases?.msLeft(s.id) ?? null, ...(counts.get(s.id) ?? EMPTY) };
  });
  const votes = o.relay.edge();
  const status = o.reporter.state();
  if (votes.failingSince !== null && now - votes.failingSince >= EDGE_DOWN_MS) {
    reasons.push(`the edge has refused or missed votes for ${Math.round((now - votes.failingSince) / 1000)} s: ${votes.lastError}`);
  }
  const lastReport = status.lastOkAt ?? o.startedAt;
  if (status.lastError && now - lastReport >= EDGE_DOWN_MS) {
    reasons.push(`no status report has reached the edge for ${Math.round((now - lastReport) / 1000)} s: ${status.lastError}`);
  }
  return { ok: reasons.length === 0, reasons, sources, bridge: o.bridge ?? null, edge: { votes, status }, uptimeSeconds: Math.round((now - o.startedAt) / 1000) };
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

export async function startHealthServer(o: { host: string; port: number; log: RootLogger; health: () => Health }): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = o.log.scrub(JSON.stringify(body));
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: { code: 'method-not-allowed', message: 'GET only' } });
    if (path !== '/health') return send(404, { error: { code: 'not-found', message: `no route ${path}` } });
    try {
      const h = o.health();
      send(h.ok ? 200 : 503, h);
    } catch (e) {
      o.log.error('http.failed', { path, error: e });
      send(500, { error: { code: 'internal', message: 'internal error' } });
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
