/**
 * The edge's two chat routes, as a local HTTP server for the bridge's tests: `POST /api/chat/votes` and
 * `POST /api/chat/status`, Bearer token checked, bodies parsed with the protocol's own schemas (and the edge's
 * size limit). It counts a voter
 * once, as the room does within a round, so a re-sent batch shows up as duplicates, not as extra votes. It can go
 * away (connection refused) and come back on the same port, answer slowly, answer with an error status, or take
 * a batch and lose the answer (the socket closes after the votes were counted), which is what makes a retry
 * a re-send. With `leaseMs` set it leases each source to one bridge as the room does (edge/src/room/chat-leases.ts,
 * without the preference for a connected reader): a report grants or renews, a quiet holder's source moves once
 * its lease and the margin are over, and a batch from a bridge that does not hold the source is refused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHAT_BATCH_MAX_BYTES, ChatStatusReport, ChatVoteBatch, DEFAULT_CHAT_BRIDGE, type ChatLease, type ChatSourceId, type ChatVote, type ChatVoteResult } from '@stream-fighter/core';

export interface FakeEdge {
  url: string;
  token: string;
  /** Every batch the edge took, in order (including those whose answer it then lost). */
  batches: ChatVoteBatch[];
  /** The vote counted for each voter: the first one that arrived. */
  counted: Map<string, ChatVote>;
  duplicates: number;
  reports: ChatStatusReport[];
  /** Sources the operator paused: their votes are refused and the status answer lists them. */
  paused: Set<ChatSourceId>;
  /** Answer every request this much later. */
  delayMs: number;
  /** Answer vote requests with this status (and count nothing) while set. */
  failWith: number | null;
  /** Count the next N vote batches, then close the socket instead of answering. */
  loseAnswers: number;
  /** Lease each source to one bridge for this long (null: answer without leases, as a room older than leases). */
  leaseMs: number | null;
  leaseMarginMs: number;
  /** Who holds each source, until when (ms epoch). */
  holders: Map<ChatSourceId, { bridge: string; until: number }>;
  /** Batches refused because their bridge did not hold the source. */
  notLeased: ChatVoteBatch[];
  /** Bridges cut off from the edge (a partition): their requests' sockets are closed unanswered. */
  cutOff: Set<string>;
  /** Stop listening: requests fail as connection refused. */
  down(): Promise<void>;
  /** Listen again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeEdge(token = 'test-bridge-token-0123456789'): Promise<FakeEdge> {
  const edge: Omit<FakeEdge, 'url' | 'down' | 'up' | 'close'> = {
    token,
    batches: [],
    counted: new Map(),
    duplicates: 0,
    reports: [],
    paused: new Set(),
    delayMs: 0,
    failWith: null,
    loseAnswers: 0,
    leaseMs: null,
    leaseMarginMs: 100,
    holders: new Map(),
    notLeased: [],
    cutOff: new Set(),
  };
  const binds = (source: ChatSourceId, now: number) => {
    const h = edge.holders.get(source);
    return h !== undefined && now < h.until + edge.leaseMarginMs ? h : undefined;
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const size = chunks.reduce((n, c) => n + c.length, 0);
    if (edge.delayMs > 0) await new Promise((r) => setTimeout(r, edge.delayMs));
    // A request its client gave up on while it waited is not taken: as far as the client knows, it was not.
    if (req.socket.destroyed) return;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return json(405, { error: { code: 'method-not-allowed' } });
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: { code: 'unauthorized' } });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return json(400, { error: { code: 'bad-json' } });
    }
    const from = (body as { bridge?: unknown } | null)?.bridge;
    if (typeof from === 'string' && edge.cutOff.has(from)) return req.socket.destroy();
    if (req.url === '/api/chat/status') {
      const report = ChatStatusReport.safeParse(body);
      if (!report.success) return json(400, { error: { code: 'bad-request', message: report.error.message } });
      edge.reports.push(report.data);
      if (edge.leaseMs === null) return json(200, { paused: [...edge.paused] });
      const bridge = report.data.bridge ?? DEFAULT_CHAT_BRIDGE;
      const now = Date.now();
      const leases: ChatLease[] = [];
      for (const { source } of report.data.sources) {
        const h = binds(source, now);
        if (h && h.bridge !== bridge) continue;
        edge.holders.set(source, { bridge, until: now + edge.leaseMs });
        leases.push({ source, ms: edge.leaseMs });
      }
      return json(200, { paused: [...edge.paused], leases });
    }
    if (req.url !== '/api/chat/votes') return json(404, { error: { code: 'not-found' } });
    if (size > CHAT_BATCH_MAX_BYTES) return json(413, { error: { code: 'too-large' } });
    if (edge.failWith !== null) return json(edge.failWith, { error: { code: 'failing' } });
    const batch = ChatVoteBatch.safeParse(body);
    if (!batch.success) return json(400, { error: { code: 'bad-request', message: batch.error.message } });
    if (edge.leaseMs !== null) {
      const h = binds(batch.data.source, Date.now());
      if (h && h.bridge !== (batch.data.bridge ?? DEFAULT_CHAT_BRIDGE)) {
        edge.notLeased.push(batch.data);
        return json(200, { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: false, notLeased: true } satisfies ChatVoteResult);
      }
    }
    edge.batches.push(batch.data);
    const result: ChatVoteResult = { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: edge.paused.has(batch.data.source) };
    if (!result.paused) {
      for (const v of batch.data.votes) {
        if (edge.counted.has(v.voter)) {
          result.duplicate++;
          edge.duplicates++;
        } else {
          edge.counted.set(v.voter, v);
          result.counted++;
        }
      }
    }
    if (edge.loseAnswers > 0) {
      edge.loseAnswers--;
      return req.socket.destroy();
    }
    json(200, result);
  });

  const listen = (port: number) =>
    new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  const stop = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return Object.assign(edge, {
    url: `http://127.0.0.1:${port}`,
    down: stop,
    up: () => listen(port),
    close: () => (server.listening ? stop() : Promise.resolve()),
  });
}
