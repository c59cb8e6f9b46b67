/**
 * One Stream Fighter viewer: a plain `ws` WebSocket on the room, as a phone's browser holds it. It keeps the room's
 * state with core's RoomFeed (a `snapshot` replaces it, a `delta` applies on the exact state it was made from, a
 * gap asks for a resync) and reports the state's vote total. Per message: one JSON.parse and a small sum.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION, VIEWER_PING_MS } from '@stream-fighter/core/constants';
import type { Resync, Snapshot, SnapshotDelta } from '@stream-fighter/core/protocol';
import { RoomFeed, pingMessage } from '@stream-fighter/core/snapshot-delta';
import type { OpenViewer } from './messages.ts';

const RESYNC = JSON.stringify({ type: 'resync', v: PROTOCOL_VERSION } satisfies Resync);

export function totalVotes(votes: Snapshot['round']['votes']): number {
  let sum = 0;
  for (const n of Object.values(votes)) sum += n ?? 0;
  return sum;
}

export const openSfViewer: OpenViewer = (url, i, sink, timeoutMs) =>
  new Promise((resolve, reject) => {
    // No permessage-deflate: the figures are the update's own bytes, and inflating 10,000 copies would cost the
    // harness the CPU the room needs (the two share this machine).
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const feed = new RoomFeed();
    let open = false;
    let closing = false;
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { type?: unknown };
      if (msg.type !== 'snapshot' && msg.type !== 'delta') return sink.received('other', data.length);
      sink.received(msg.type === 'snapshot' ? 'full' : 'delta', data.length);
      if (feed.receive(msg as Snapshot | SnapshotDelta) === 'gap') {
        sink.gap();
        ws.send(RESYNC);
      }
      const state = feed.state;
      if (state) sink.state(i, totalVotes(state.round.votes));
    });
    ws.on('error', (e) => {
      if (!open) reject(e);
    });
    // As a page does: the room closes a viewer it hears nothing from.
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(pingMessage(feed.state?.seq)), VIEWER_PING_MS);
    ws.on('close', (code, reason) => {
      clearInterval(ping);
      if (!open) reject(new Error(`closed before it opened: ${code} ${reason.toString()}`));
      else if (!closing) sink.dropped(i, `the room closed a viewer: ${code} ${reason.toString()}`);
    });
    ws.once('open', () => {
      open = true;
      resolve({
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            if (ws.readyState === WebSocket.CLOSED) return done();
            // A close handshake lets the room run its onClose; a room too busy to answer is cut off.
            const cut = setTimeout(() => ws.terminate(), 5_000);
            ws.once('close', () => (clearTimeout(cut), done()));
            ws.close(1000, 'bench done');
          }),
      });
    });
  });
