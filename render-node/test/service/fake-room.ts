/**
 * A fake Arena room for the render node's service tests: a `ws` server that records each connection's URL, socket and
 * every message the node sends, and, while `answering.on`, answers each report with a lease renewal as a room that
 * grants leases does. `vanish()` drops every socket and accepts no more: the room gone, or a partition.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, StreamReport, type ServerMessage } from '@stream-fighter/core';

export const send = (ws: WebSocket, m: ServerMessage) => ws.send(JSON.stringify(m));

export async function fakeRoom(cleanups: Array<() => void | Promise<void>>) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((ok) => wss.once('listening', () => ok()));
  const sockets: WebSocket[] = [];
  const requests: URL[] = [];
  const received: unknown[] = [];
  const answering = { on: false, seq: 0 };
  wss.on('connection', (ws, req) => {
    requests.push(new URL(req.url ?? '/', 'http://x'));
    sockets.push(ws);
    ws.on('message', (d) => {
      received.push(JSON.parse(String(d)));
      if (answering.on) send(ws, { type: 'lease', v: PROTOCOL_VERSION, keys: [], leaseMs: 2_500, seq: ++answering.seq });
    });
  });
  let closed = false;
  const vanish = () => {
    if (closed) return Promise.resolve();
    closed = true;
    for (const ws of wss.clients) ws.terminate();
    return new Promise<void>((ok) => wss.close(() => ok()));
  };
  cleanups.push(vanish);
  return {
    port: (wss.address() as AddressInfo).port,
    sockets,
    requests,
    received,
    answering,
    vanish,
    /** What the node sent, read as stream reports (the only message a render node sends). */
    get reports(): StreamReport[] {
      return received.map((m) => StreamReport.parse(m));
    },
  };
}
