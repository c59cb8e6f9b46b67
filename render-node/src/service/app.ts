/**
 * The render node wired together: room subscription → scene model → streams manager → HTTP. main.ts gives it
 * the configuration and the real scene and encoder; tests start it in-process the same way.
 */
import type { Snapshot } from '@stream-fighter/core';
import type { Config } from './config.ts';
import type { CreateRenderer, Scene, StartStream } from './contracts.ts';
import { startHttpServer } from './http-server.ts';
import type { Logger } from './log.ts';
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
  reconnectDelayMs?: { min: number; max: number };
}): Promise<App> {
  const { config: c, log, model } = o;
  const streams = createStreamsManager({ config: c, scene: model, startStream: o.startStream, createRenderer: o.createRenderer, log });
  const room = connectRoom({
    edgeUrl: c.EDGE_URL,
    room: c.ROOM,
    token: c.RENDERER_TOKEN,
    log,
    onSnapshot: (s, at) => model.applySnapshot(s, at),
    onStreams: (list) => void streams.setRoomStreams(list),
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
        room.close();
        await streams.stop();
        await server.close();
        log.info('app.stopped');
      })();
      return stopping;
    },
  };
}
