/**
 * The render node's subscription to its Arena room: a partysocket client in the renderer role. It parses every
 * message with the protocol's schema (anything else is logged and dropped), hands snapshots and desired streams
 * to callbacks, tracks the connection, measures how far behind the room's clock snapshots arrive, and reports
 * the streams' status back every couple of seconds. partysocket reconnects by itself, with backoff.
 */
import PartySocket from 'partysocket';
import {
  PROTOCOL_VERSION,
  ServerMessage,
  type Snapshot,
  type StreamEntry,
  type StreamReport,
  type StreamStatus,
} from '@stream-fighter/core';
import type { Logger } from './log.ts';

export type Connection = 'connected' | 'reconnecting';

export interface RoomClientOptions {
  edgeUrl: string;
  room: string;
  token: string;
  log: Logger;
  onSnapshot(snapshot: Snapshot, receivedAt: number): void;
  onStreams(streams: StreamEntry[]): void;
  onConnection?(state: Connection): void;
  /** What to report; called every `reportEveryMs` while connected. */
  statuses?(): StreamStatus[];
  reportEveryMs?: number;
  /** Reconnect delays (ms); the defaults suit production, tests shorten them. */
  minReconnectionDelay?: number;
  maxReconnectionDelay?: number;
  now?(): number;
}

export interface RoomClient {
  readonly state: Connection;
  /** Receive time minus the snapshot's server time of the latest snapshot, in ms (clock skew included). */
  readonly lagMs: number | null;
  readonly lastSnapshotAt: number | null;
  readonly connectionId: string | null;
  /** Send a status report now (when connected). Returns whether it went out. */
  report(statuses: StreamStatus[]): boolean;
  close(): void;
}

export function connectRoom(o: RoomClientOptions): RoomClient {
  const now = o.now ?? Date.now;
  const edge = new URL(o.edgeUrl);
  let state: Connection = 'reconnecting';
  let lagMs: number | null = null;
  let lastSnapshotAt: number | null = null;
  let connectionId: string | null = null;
  let closed = false;

  const socket = new PartySocket({
    host: edge.host,
    protocol: edge.protocol === 'https:' ? 'wss' : 'ws',
    party: 'arena',
    room: o.room,
    query: { role: 'renderer', token: o.token },
    WebSocket: globalThis.WebSocket,
    minReconnectionDelay: o.minReconnectionDelay ?? 1_000,
    maxReconnectionDelay: o.maxReconnectionDelay ?? 15_000,
  });

  const setState = (next: Connection) => {
    if (next === state) return;
    state = next;
    o.onConnection?.(next);
  };

  socket.addEventListener('open', () => {
    o.log.info('room.connected', { room: o.room, edge: edge.origin });
    setState('connected');
  });
  socket.addEventListener('close', (e: CloseEvent) => {
    connectionId = null;
    // A dropped connection is news; each failed retry while the edge is away is not.
    if (!closed) o.log[state === 'connected' ? 'warn' : 'debug'](state === 'connected' ? 'room.disconnected' : 'room.connect-failed', { room: o.room, code: e.code, reason: e.reason });
    setState('reconnecting');
  });
  socket.addEventListener('error', (e: Event) => {
    o.log.debug('room.socket-error', { room: o.room, error: String((e as ErrorEvent).message ?? e.type) });
  });
  socket.addEventListener('message', (e: MessageEvent) => {
    const receivedAt = now();
    let data: unknown;
    try {
      data = JSON.parse(typeof e.data === 'string' ? e.data : Buffer.from(e.data as ArrayBuffer).toString('utf8'));
    } catch {
      data = undefined;
    }
    const msg = ServerMessage.safeParse(data);
    if (!msg.success) {
      o.log.warn('room.bad-message', { room: o.room, issues: msg.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const m = msg.data;
    switch (m.type) {
      case 'snapshot':
        lagMs = receivedAt - m.now;
        lastSnapshotAt = receivedAt;
        o.onSnapshot(m, receivedAt);
        break;
      case 'streams':
        o.log.info('room.streams', { room: o.room, count: m.streams.length });
        o.onStreams(m.streams);
        break;
      case 'welcome':
        connectionId = m.connectionId;
        if (m.role !== 'renderer') o.log.error('room.not-renderer', { room: o.room, role: m.role });
        break;
      case 'error':
        o.log.error('room.error', { room: o.room, code: m.code, message: m.message });
        break;
    }
  });

  const report = (statuses: StreamStatus[]): boolean => {
    if (state !== 'connected' || socket.readyState !== WebSocket.OPEN) return false;
    const msg = { type: 'stream-status', v: PROTOCOL_VERSION, streams: statuses.slice(0, 32) } satisfies StreamReport;
    socket.send(JSON.stringify(msg));
    return true;
  };
  const statuses = o.statuses;
  const timer = statuses ? setInterval(() => report(statuses()), o.reportEveryMs ?? 2_000) : null;

  return {
    get state() {
      return state;
    },
    get lagMs() {
      return lagMs;
    },
    get lastSnapshotAt() {
      return lastSnapshotAt;
    },
    get connectionId() {
      return connectionId;
    },
    report,
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      socket.close();
    },
  };
}
