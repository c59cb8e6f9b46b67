/**
 * The render node's subscription to its Arena room: a partysocket client in the renderer role. It parses every
 * message with the protocol's schema (anything else is logged and dropped), hands snapshots and desired streams
 * and leases to callbacks, tracks the connection, measures how far behind the room's clock snapshots arrive, and
 * reports the streams' status back every second (the room renews this node's leases in answer to each report).
 * Its URL tells the room this node's name and capacity. partysocket reconnects by itself, with backoff.
 *
 * A link cut silently (no FIN, no RST: a dead NAT entry, a pulled cable upstream) leaves the socket "open" for as
 * long as TCP cares to wait, and partysocket has no heartbeat. A room that grants leases answers every report, so
 * once it has shown it does, `silentReconnectMs` without any message means the link is dead: the client reconnects
 * by itself, to rejoin the room's pool as soon as the link is back. A room older than leases is never taken for
 * silent: it may say nothing for minutes when nothing happens.
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
  /** This node's name and how many streams it can run (RenderNodeName, RenderCapacity): `node` and `capacity` in the URL. */
  node: string;
  capacity: number;
  log: Logger;
  onSnapshot(snapshot: Snapshot, receivedAt: number): void;
  /**
   * The streams this node should run; with `leaseMs`, each only until that long after now unless renewed, and
   * `leaseSeq` numbering the grant.
   */
  onStreams(streams: StreamEntry[], leaseMs?: number, leaseSeq?: number): void;
  /** A renewal, grant number `seq`: the leases of these held keys run on for `leaseMs` from now. */
  onLease?(keys: string[], leaseMs: number, seq: number): void;
  onConnection?(state: Connection): void;
  /** What to report; called every `reportEveryMs` (default 1 000) while connected. */
  statuses?(): StreamStatus[];
  reportEveryMs?: number;
  /** The seq of the last lease grant applied, sent with each report (`leaseSeq`): the room's ack. */
  leaseSeq?(): number | undefined;
  /** While connected to a room that answers reports, this long (ms) without any message reconnects (default 10 000). */
  silentReconnectMs?: number;
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
  // The silence watchdog, on the monotonic clock (`now` may be faked, and a wall-clock jump is not silence).
  let heardAt = performance.now();
  let answersReports = false;
  let silent = false;

  const socket = new PartySocket({
    host: edge.host,
    protocol: edge.protocol === 'https:' ? 'wss' : 'ws',
    party: 'arena',
    room: o.room,
    query: { role: 'renderer', token: o.token, node: o.node, capacity: String(o.capacity) },
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
    heardAt = performance.now();
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
    // Any frame at all, even one we drop below, shows the link is alive.
    heardAt = performance.now();
    silent = false;
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
        o.log.info('room.streams', { room: o.room, count: m.streams.length, ...(m.leaseMs !== undefined ? { leaseMs: m.leaseMs } : {}) });
        if (m.leaseMs !== undefined) answersReports = true;
        o.onStreams(m.streams, m.leaseMs, m.leaseSeq);
        break;
      case 'lease':
        // One a second per node: news only when debugging.
        o.log.debug('room.lease', { room: o.room, count: m.keys.length, leaseMs: m.leaseMs, seq: m.seq });
        answersReports = true;
        o.onLease?.(m.keys, m.leaseMs, m.seq);
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
    const leaseSeq = o.leaseSeq?.();
    const msg = { type: 'stream-status', v: PROTOCOL_VERSION, streams: statuses.slice(0, 32), ...(leaseSeq !== undefined ? { leaseSeq } : {}) } satisfies StreamReport;
    socket.send(JSON.stringify(msg));
    return true;
  };
  const statuses = o.statuses;
  const timer = statuses ? setInterval(() => report(statuses()), o.reportEveryMs ?? 1_000) : null;

  // Only reports draw answers, so without them silence proves nothing.
  const silentMs = o.silentReconnectMs ?? 10_000;
  const watchdog = statuses ? setInterval(() => {
    const quietMs = performance.now() - heardAt;
    if (state !== 'connected' || !answersReports || quietMs < silentMs) return;
    // Told once per episode (until a message arrives): a room that takes the new connection and
    // stays silent again is no new news.
    o.log[silent ? 'debug' : 'warn']('room.silent', { room: o.room, quietMs: Math.round(quietMs) });
    silent = true;
    heardAt = performance.now();
    // Drops the dead socket (its close is logged as room.disconnected) and dials again at once, then with backoff.
    socket.reconnect(4000, 'silent');
  }, Math.min(1_000, Math.max(10, silentMs / 4))) : null;

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
      if (watchdog) clearInterval(watchdog);
      socket.close();
    },
  };
}
