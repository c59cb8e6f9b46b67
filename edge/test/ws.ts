import { vi } from 'vitest';
import { RoomFeed, type Snapshot, type SnapshotDelta } from '@stream-fighter/core';
import { call } from './helpers.ts';

/**
 * A WebSocket client on the room through the Worker's own routing (the path partysocket uses). Like every client
 * it keeps the room's state from snapshots and deltas (RoomFeed), asking for a resync on a gap: `messages` holds
 * each state it reached as a `snapshot`, so a test reads states whichever way they came; `raw` is the wire.
 */
export async function connect(
  query = '',
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: Array<Record<string, unknown>>; raw: Array<Record<string, unknown>>; closed: { code: number; reason: string } | null; next(type: string, timeoutMs?: number): Promise<Record<string, unknown>> } | Response> {
  const res = await call(`/parties/arena/main${query}`, { headers: { upgrade: 'websocket', ...headers } });
  const ws = res.webSocket;
  if (!ws) return res;
  ws.accept();
  const messages: Array<Record<string, unknown>> = [];
  const raw: Array<Record<string, unknown>> = [];
  const feed = new RoomFeed();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(e.data as string) as Record<string, unknown>;
    raw.push(m);
    if (m.type !== 'snapshot' && m.type !== 'delta') return void messages.push(m);
    const result = feed.receive(m as unknown as Snapshot | SnapshotDelta);
    if (result === 'applied') messages.push(feed.state as unknown as Record<string, unknown>);
    if (result === 'gap') ws.send(JSON.stringify({ type: 'resync', v: 1 }));
  });
  let closed: { code: number; reason: string } | null = null;
  ws.addEventListener('close', (e) => {
    closed = { code: e.code, reason: e.reason };
  });
  let seen = 0;
  return {
    ws,
    messages,
    raw,
    /** The close the server sent, once it has. */
    get closed() {
      return closed;
    },
    /** The next message of this type not yet returned. */
    async next(type, timeoutMs = 5_000) {
      const i = await vi.waitFor(
        () => {
          const found = messages.findIndex((m, idx) => idx >= seen && m.type === type);
          if (found < 0) throw new Error(`no ${type} message within ${timeoutMs} ms (got ${messages.map((m) => m.type).join(',')})`);
          return found;
        },
        { timeout: timeoutMs, interval: 20 },
      );
      seen = i + 1;
      return messages[i]!;
    },
  };
}
