/**
 * Desired streams (from the room, plus STATIC_STREAMS) → one supervised encoder stream each, keyed by stream
 * key: start the new, stop the removed, restart on a screen change. Renderers are shared per screen and the
 * last frame is cached by frame index, so two streams of one screen draw once per tick. A stream that fails to
 * start is reported as `error` and retried; it never takes the process down.
 */
import type { ScreenId, StreamStatus } from '@stream-fighter/core';
import type { Config } from './config.ts';
import type { CreateRenderer, DrawnFrame, Renderer, RunningStream, Scene, StartStream } from './contracts.ts';
import type { Logger } from './log.ts';

export interface DesiredStream {
  screenId: ScreenId;
  streamKey: string;
}
export type ManagedStatus = StreamStatus & { screenId: ScreenId };

type StreamConfig = Pick<Config, 'width' | 'height' | 'FPS' | 'VIDEO_BITRATE' | 'X264_PRESET' | 'AUDIO' | 'FFMPEG_PATH' | 'LANG' | 'VOTE_URL' | 'RTMP_URL' | 'STALL_TIMEOUT_MS' | 'STATIC_STREAMS'>;

interface Entry {
  screenId: ScreenId;
  running: RunningStream | null;
  startedAt: number;
  /** Set when the last start attempt threw. */
  failure: { error: string; at: number; attempts: number } | null;
}

export interface StreamsManager {
  setRoomStreams(streams: DesiredStream[]): Promise<void>;
  statuses(): ManagedStatus[];
  /** The latest frame as PNG: a running stream's renderer, or the scene drawn now when nothing runs. */
  snapshotPng(): Promise<Buffer>;
  stop(): Promise<void>;
}

export function createStreamsManager(o: {
  config: StreamConfig;
  scene: Scene;
  startStream: StartStream;
  createRenderer: CreateRenderer;
  log: Logger;
  /** Delay before retrying a stream whose start threw (doubles per attempt, capped at 8×). */
  retryMs?: number;
  now?: () => number;
}): StreamsManager {
  const { config: c, log } = o;
  const now = o.now ?? Date.now;
  const retryMs = o.retryMs ?? 5_000;
  const entries = new Map<string, Entry>();
  const renderers = new Map<ScreenId, Renderer>();
  const frames = new Map<ScreenId, { index: number; frame: DrawnFrame }>();
  let roomStreams: DesiredStream[] = [];
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  // Reconciliations run one at a time: a stop must finish before the same key starts again.
  let chain: Promise<void> = Promise.resolve();

  const rendererFor = (screen: ScreenId): Renderer => {
    let r = renderers.get(screen);
    if (!r) {
      r = o.createRenderer({ width: c.width, height: c.height, lang: c.LANG, screen, voteUrl: c.VOTE_URL });
      renderers.set(screen, r);
    }
    return r;
  };

  // The scene's advanceTo(t) is stateful (it hands out each hit's sound once), so it is called once per frame index
  // for all streams and screens; each screen's renderer then draws that view once, whatever number of streams show it.
  // Indexes only move forward: a stream a frame behind the others gets the newer frame rather than a rewind.
  let shared: { index: number; t: number; view: ReturnType<Scene['advanceTo']> } | null = null;
  const viewAt = (t: number) => {
    const index = Math.floor((t * c.FPS) / 1000);
    if (!shared || index > shared.index) shared = { index, t, view: o.scene.advanceTo(t) };
    return shared;
  };

  const frameFor = (screen: ScreenId, t: number): DrawnFrame => {
    const v = viewAt(t);
    const cached = frames.get(screen);
    if (cached && cached.index >= v.index) return cached.frame;
    const frame = { rgba: rendererFor(screen).render(v.view, v.t), sfx: v.view.sfx };
    frames.set(screen, { index: v.index, frame });
    return frame;
  };

  const desired = (): Map<string, ScreenId> => {
    const d = new Map<string, ScreenId>();
    for (const s of c.STATIC_STREAMS) d.set(s.streamKey, s.screenId);
    // The room is the operator's voice: it wins over a static entry for the same key.
    for (const s of roomStreams) d.set(s.streamKey, s.screenId);
    return d;
  };

  const start = (key: string, screenId: ScreenId, previous: Entry | undefined): void => {
    log.secret(key);
    const entry: Entry = { screenId, running: null, startedAt: now(), failure: null };
    entries.set(key, entry);
    try {
      entry.running = o.startStream({
        streamKey: key,
        rtmpUrl: c.RTMP_URL,
        width: c.width,
        height: c.height,
        fps: c.FPS,
        bitrate: c.VIDEO_BITRATE,
        preset: c.X264_PRESET,
        audio: c.AUDIO,
        ...(c.FFMPEG_PATH ? { ffmpegPath: c.FFMPEG_PATH } : {}),
        ...(c.STALL_TIMEOUT_MS ? { stallTimeoutMs: c.STALL_TIMEOUT_MS } : {}),
        frame: (t) => frameFor(screenId, t),
        log: (event, fields = {}) => {
          const level = /crash|error/.test(event) ? 'error' : /stall|exit|retry|stderr/.test(event) ? 'warn' : 'info';
          log[level](event.startsWith('stream') ? event : `stream.${event}`, { streamKey: key, screen: screenId, ...fields });
        },
      });
      log.info('stream.started', { streamKey: key, screen: screenId });
    } catch (e) {
      const attempts = (previous?.failure?.attempts ?? 0) + 1;
      entry.failure = { error: log.scrub(String(e instanceof Error ? e.message : e)).slice(0, 300), at: now(), attempts };
      log.error('stream.start-failed', { streamKey: key, screen: screenId, attempts, error: entry.failure.error });
    }
  };

  const stopEntry = async (key: string, entry: Entry, why: string): Promise<void> => {
    entries.delete(key);
    if (!entry.running) return;
    log.info('stream.stopping', { streamKey: key, screen: entry.screenId, why });
    try {
      await entry.running.stop();
    } catch (e) {
      log.error('stream.stop-failed', { streamKey: key, error: e });
    }
  };

  const reconcile = async (): Promise<void> => {
    if (stopped) return;
    const want = desired();
    const stops: Array<Promise<void>> = [];
    for (const [key, entry] of entries) {
      const screen = want.get(key);
      if (screen === undefined) stops.push(stopEntry(key, entry, 'removed'));
      else if (screen !== entry.screenId) stops.push(stopEntry(key, entry, `screen ${entry.screenId} → ${screen}`));
    }
    await Promise.all(stops);
    if (stopped) return;
    let nextRetry = Infinity;
    for (const [key, screen] of want) {
      const entry = entries.get(key);
      if (entry?.failure) {
        const due = entry.failure.at + retryMs * 2 ** Math.min(entry.failure.attempts - 1, 3);
        if (due <= now()) start(key, screen, entry);
        const again = entries.get(key)?.failure;
        if (again) nextRetry = Math.min(nextRetry, again.at + retryMs * 2 ** Math.min(again.attempts - 1, 3));
      } else if (!entry) {
        start(key, screen, undefined);
        const failed = entries.get(key)?.failure;
        if (failed) nextRetry = Math.min(nextRetry, failed.at + retryMs);
      }
    }
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = Number.isFinite(nextRetry) ? setTimeout(() => void schedule(), Math.max(0, nextRetry - now())) : null;
  };

  const schedule = (): Promise<void> => {
    chain = chain.then(reconcile).catch((e: unknown) => log.error('streams.reconcile-failed', { error: e }));
    return chain;
  };

  const statusOf = (key: string, e: Entry): ManagedStatus => {
    if (!e.running) {
      return { streamKey: key, screenId: e.screenId, state: 'error', fps: 0, speed: 0, droppedFrames: 0, restarts: e.failure?.attempts ?? 0, uptimeSec: 0, ...(e.failure ? { error: e.failure.error } : {}) };
    }
    const s = e.running.stats();
    const num = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
    return {
      streamKey: key,
      screenId: e.screenId,
      state: s.state,
      fps: num(s.fps),
      speed: num(s.speed),
      droppedFrames: Math.floor(num(s.droppedFrames)),
      restarts: Math.floor(num(s.restarts)),
      uptimeSec: num(s.uptimeSec),
      ...(s.error ? { error: log.scrub(s.error).slice(0, 300) } : {}),
    };
  };

  // STATIC_STREAMS run from the start, before (or without) the edge.
  if (c.STATIC_STREAMS.length > 0) void schedule();

  return {
    setRoomStreams(streams) {
      roomStreams = streams.map((s) => ({ screenId: s.screenId, streamKey: s.streamKey }));
      return schedule();
    },
    statuses: () => [...entries].map(([k, e]) => statusOf(k, e)),
    async snapshotPng() {
      const live = [...entries.values()].find((e) => e.running && frames.has(e.screenId));
      if (live) return rendererFor(live.screenId).png();
      frameFor('fight', now());
      return rendererFor('fight').png();
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      await chain;
      await Promise.all([...entries].map(([k, e]) => stopEntry(k, e, 'shutdown')));
    },
  };
}
