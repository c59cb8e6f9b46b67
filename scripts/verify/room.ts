/**
 * A viewer on the Arena room (partysocket, as the site connects): every message parsed with the protocol's
 * schema, the room's state kept from snapshots and deltas (asking for a resync on a gap), each state with its
 * arrival time, with bounded waits for the state a check needs.
 */
import PartySocket from 'partysocket';
import { performance } from 'node:perf_hooks';
import { RESYNC_MESSAGE, RoomFeed, ServerMessage, VIEWER_PING_MS, pingMessage, type Snapshot } from '@stream-fighter/core';
import { Wakeups } from './wakeups.ts';

export interface Received {
  at: number;
  snapshot: Snapshot;
}

export interface RoomViewer {
  readonly welcomed: boolean;
  readonly snapshots: Received[];
  readonly invalid: string[];
  waitFor(match: (s: Snapshot) => boolean, timeoutMs: number, since?: number): Promise<Received | null>;
  close(): void;
}

export function watchRoom(apiUrl: string, room: string): RoomViewer {
  const u = new URL(apiUrl);
  const socket = new PartySocket({
    host: u.host,
    protocol: u.protocol === 'https:' ? 'wss' : 'ws',
    party: 'arena',
    room,
    WebSocket: globalThis.WebSocket,
    minReconnectionDelay: 500,
    maxReconnectionDelay: 2_000,
  });
  const snapshots: Received[] = [];
  const invalid: string[] = [];
  const wakeups = new Wakeups();
  let welcomed = false;
  let feed = new RoomFeed();
  // The room closes a viewer it hears nothing from (README "A viewer that cannot keep up").
  const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send(pingMessage(feed.state?.seq)), VIEWER_PING_MS);
  socket.addEventListener('message', (e: MessageEvent) => {
    const at = performance.now();
    let parsed;
    try {
      parsed = ServerMessage.safeParse(JSON.parse(String(e.data)));
    } catch {
      invalid.push(String(e.data).slice(0, 80));
      return;
    }
    if (!parsed.success) {
      invalid.push(`${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const m = parsed.data;
    // Each connection (partysocket reconnects) starts with a welcome and a whole snapshot.
    if (m.type === 'welcome') [welcomed, feed] = [true, new RoomFeed()];
    if (m.type === 'snapshot' || m.type === 'delta') {
      const result = feed.receive(m);
      if (result === 'gap') socket.send(RESYNC_MESSAGE);
      if (result === 'applied') snapshots.push({ at, snapshot: feed.state! });
      if (snapshots.length > 500) snapshots.splice(0, 100);
    }
    wakeups.wake();
  });
  return {
    get welcomed() {
      return welcomed;
    },
    snapshots,
    invalid,
    async waitFor(match, timeoutMs, since = -Infinity) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const hit = snapshots.find((r) => r.at >= since && match(r.snapshot));
        if (hit) return hit;
        const left = deadline - performance.now();
        if (left <= 0) return null;
        await wakeups.sleep(left);
      }
    },
    close() {
      clearInterval(ping);
      socket.close();
    },
  };
}
