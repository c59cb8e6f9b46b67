/**
 * The render node wired together: room subscription → scene model → streams manager → HTTP, with the room's
 * streams passed through the lease keeper (only those this node may publish now reach the streams manager).
 * main.ts gives it the configuration and the real scene and encoder; tests start it in-process the same way.
 */
import type { Snapshot } from '@stream-fighter/core';
import type { Config } from './config.ts';
import type { CreateBrowserRenderer, CreateRenderer, Scene, StartStream } from './contracts.ts';
import { startHttpServer } from './http-server.ts';
import type { Logger } from './log.ts';
import { createLeaseKeeper } from './lease-keeper.ts';
import { connectRoom, type Connection, type RoomClient } from './room-client.ts';
import { createStreamsManager, type StreamsManager } from './streams-manager.ts';

export interface SceneModelLike extends Scene {
  applySnapshot(s: Snapshot, receivedAt: number): boolean;
  setConnection(state: Connection): void;
}

export interface App {
  url: string;
  room: RoomClient;
  streams: StreamsManager;
  /** Stop streams (FFmpeg: q, then SIGTERM, then SIGKILL, inside the encoder), close the socket and the server. */
  stop(): Promise<void>;
}

export async function startApp(o: {
  config: Config;
  log: Logger;
  model: SceneModelLike;
  startStream: StartStream;
  createRenderer: CreateRenderer;
  /** Browser screens' renderer (main.ts: Chromium); without it every screen is drawn on the canvas. */
  createBrowserRenderer?: CreateBrowserRenderer;
  reconnectDelayMs?: { min: number; max: number };
  /** How often (ms) leases are checked for expiry; a stream runs at most this long past its lease (plus its stop). */
  leaseCheckMs?: number;
}): Promise<App> {
  const { config: c, log, model } = o;
  const streams = createStreamsManager({
    config: c,
    scene: model,
    startStream: o.startStream,
    createRenderer: o.createRenderer,
    ...(o.createBrowserRenderer ? { createBrowserRenderer: o.createBrowserRenderer } : {}),
    log,
  });
  // A stale grant (numbered below one applied) is ignored; rare enough to be worth a line.
  const leases = createLeaseKeeper({ onStale: (seq, applied) => log.info('lease.stale', { seq, applied }) });
  const publishLive = () => void streams.setRoomStreams(leases.live());
  // Nothing else drops a stream whose lease ran out (a partitioned node gets no message at all), so a timer looks.
  const leaseCheck = setInterval(() => {
    const expired = leases.takeExpired();
    if (expired.length === 0) return;
    for (const streamKey of expired) log.warn('lease.expired', { streamKey });
    publishLive();
  }, o.leaseCheckMs ?? 250);
  leaseCheck.unref();
  const room = connectRoom({
    edgeUrl: c.EDGE_URL,
    room: c.ROOM,
    token: c.RENDERER_TOKEN,
    node: c.RENDER_NODE_NAME,
    capacity: c.RENDER_CAPACITY,
    log,
    onSnapshot: (s, at) => model.applySnapshot(s, at),
    onStreams: (list, leaseMs, leaseSeq) => {
      leases.setStreams(list, leaseMs, leaseSeq);
      publishLive();
    },
    onLease: (keys, leaseMs, seq) => {
      if (leases.renew(keys, leaseMs, seq)) publishLive();
    },
    // Each report tells the room which grant this node last applied, so it can shorten its record to match.
    leaseSeq: () => leases.appliedSeq(),
    onConnection: (state) => model.setConnection(state),
    statuses: () => streams.statuses().map(({ screenId: _, ...s }) => s),
    ...(o.reconnectDelayMs ? { minReconnectionDelay: o.reconnectDelayMs.min, maxReconnectionDelay: o.reconnectDelayMs.max } : {}),
  });
  let http;
  try {
    http = await startHttpServer({
      host: c.HTTP_HOST,
      port: c.HTTP_PORT,
      log,
      sample: () => ({ streams: streams.statuses(), room: { connected: room.state === 'connected', lagSeconds: room.lagMs === null ? null : room.lagMs / 1000 } }),
      snapshotPng: () => streams.snapshotPng(),
      notLive: () => streams.notLive(),
    });
  } catch (e) {
    clearInterval(leaseCheck);
    room.close();
    await streams.stop();
    throw e;
  }
  const server = http;
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    room,
    streams,
    stop() {
      stopping ??= (async () => {
        clearInterval(leaseCheck);
        room.close();
        await streams.stop();
        await server.close();
        log.info('app.stopped');
      })();
      return stopping;
    },
  };
}
