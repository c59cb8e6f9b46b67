/**
 * Desired streams (from the room, plus STATIC_STREAMS) → one supervised encoder stream each, keyed by stream
 * key: start the new, stop the removed, restart when a stream moves to another screen or its screen's resolution
 * changes (the encoder's size). Each stream is drawn as its screen says (core/src/screen.ts: scene, language,
 * resolution, parts shown); a change of scene, language or parts swaps the renderer under the running stream, with
 * no gap on air. Renderers are shared per screen and the
 * last frame is cached by frame index, so two streams of one screen draw once per tick. A stream that fails to
 * start is reported as `error` and retried; it never takes the process down. It also tells which desired streams
 * have not been live for HEALTH_NOT_LIVE_SEC (`notLive`, what /health reports as degraded).
 */
import { defaultScreen, type Screen, type ScreenId, type StreamStatus } from '@stream-fighter/core';
import { DEFAULT_BITRATE, RESOLUTIONS, withSceneFps, type Config } from './config.ts';
import { pageAllowed } from '../browser/url-allow.ts';
import type { CreateBrowserRenderer, CreateRenderer, DrawnFrame, Renderer, RunningStream, Scene, StartStream } from './contracts.ts';
import type { Logger } from './log.ts';

export interface DesiredStream {
  screenId: ScreenId;
  streamKey: string;
  /** The screen as the room resolved it; absent (STATIC_STREAMS, an older edge): its defaults, in this node's LANG and RESOLUTION. */
  screen?: Screen;
}
export type ManagedStatus = StreamStatus & { screenId: ScreenId };

type StreamConfig = Pick<Config, 'width' | 'height' | 'RESOLUTION' | 'FPS' | 'VIDEO_BITRATE' | 'X264_PRESET' | 'AUDIO' | 'AUDIO_LOUDNESS_LUFS' | 'FFMPEG_PATH' | 'LANG' | 'VOTE_URL' | 'RTMP_URL' | 'STALL_TIMEOUT_MS' | 'STATIC_STREAMS' | 'HEALTH_NOT_LIVE_SEC' | 'USE_CANVAS_RENDERER' | 'BROWSER_URL' | 'BROWSER_URL_ALLOW'>;

/** A desired stream that has not been live for HEALTH_NOT_LIVE_SEC: what /health reports as degraded. */
export interface NotLive {
  streamKey: string;
  screenId: ScreenId;
  state: StreamStatus['state'];
  /** Since it was last seen live, or since it was wanted if it never was. */
  notLiveSec: number;
  error?: string;
}

interface Entry {
  screenId: ScreenId;
  /** The screen it is drawn as; replaced in place when only its scene, language or parts change. */
  screen: Screen;
  running: RunningStream | null;
  startedAt: number;
  /** Set when the last start attempt threw. */
  failure: { error: string; at: number; attempts: number } | null;
  /** When this key was first wanted (kept across start retries), and when it was last seen live. */
  wantedAt: number;
  liveAt: number | null;
}

export interface StreamsManager {
  setRoomStreams(streams: DesiredStream[]): Promise<void>;
  statuses(): ManagedStatus[];
  /** The desired streams that have not been live for HEALTH_NOT_LIVE_SEC (none: healthy). */
  notLive(): NotLive[];
  /** The latest frame as PNG: a running stream's renderer, or the scene drawn now when nothing runs. */
  snapshotPng(): Promise<Buffer>;
  stop(): Promise<void>;
}

export function createStreamsManager(o: {
  config: StreamConfig;
  scene: Scene;
  startStream: StartStream;
  createRenderer: CreateRenderer;
  /** For browser screens; without it (tests, a node built without Chromium) every screen is drawn on the canvas. */
  createBrowserRenderer?: CreateBrowserRenderer;
  log: Logger;
  /** Delay before retrying a stream whose start threw (doubles per attempt, capped at 8×). */
  retryMs?: number;
  now?: () => number;
}): StreamsManager {
  const { config: c, log } = o;
  const now = o.now ?? Date.now;
  const retryMs = o.retryMs ?? 5_000;
  const entries = new Map<string, Entry>();
  // Keyed by the whole screen (id and settings), so a changed screen gets a new renderer and never an old frame.
  const renderers = new Map<string, Renderer>();
  const frames = new Map<string, { index: number; frame: DrawnFrame }>();
  let roomStreams: DesiredStream[] = [];
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  // Reconciliations run one at a time: a stop must finish before the same key starts again.
  let chain: Promise<void> = Promise.resolve();

  /** The node's own size and bitrate for its own RESOLUTION (so RESOLUTION and VIDEO_BITRATE mean what they say), the standard ones for the other. */
  const outputOf = (screen: Screen) =>
    screen.resolution === c.RESOLUTION ? { width: c.width, height: c.height, bitrate: c.VIDEO_BITRATE } : { ...RESOLUTIONS[screen.resolution], bitrate: DEFAULT_BITRATE[screen.resolution] };
  const keyOf = (screen: Screen) => JSON.stringify(screen);
  /** A screen the room did not describe: its defaults, in this node's language and resolution. */
  const localScreen = (id: ScreenId): Screen => ({ ...defaultScreen(id), lang: c.LANG, resolution: c.RESOLUTION });

  /**
   * The page a screen streams, or null for the canvas: its own `renderer`, else this node's USE_CANVAS_RENDERER;
   * its own `url`, else BROWSER_URL. A page from an origin this node does not allow is never loaded: the screen is
   * drawn on the canvas instead and the log says why (the edge refuses such screens, so this is a room gone wrong).
   */
  const pageOf = (screen: Screen): { url: string | null; refused?: 'no-url' | 'origin' } => {
    // Only an explicit false switches the default: a config without the field (benches, older callers) keeps the canvas.
    const renderer = screen.renderer ?? (c.USE_CANVAS_RENDERER === false ? 'browser' : 'canvas');
    if (renderer !== 'browser' || !o.createBrowserRenderer) return { url: null };
    const url = screen.url ?? c.BROWSER_URL;
    if (!url) return { url: null, refused: 'no-url' };
    if (!pageAllowed(url, c.BROWSER_URL_ALLOW)) return { url: null, refused: 'origin' };
    return { url: withSceneFps(url, c.VOTE_URL, c.FPS) };
  };

  /**
   * What a renderer is shared and kept by. A page's renderer is its page at its size: a change of the screen's
   * language, scene or parts means nothing to a page, and must not reopen it (a new page is black until its first
   * frame). A canvas renderer is the whole screen.
   */
  const drawKeyOf = (screen: Screen): string => {
    const { url } = pageOf(screen);
    if (url === null) return keyOf(screen);
    const { width, height } = outputOf(screen);
    return `page ${width}x${height} ${url}`;
  };

  const rendererFor = (screen: Screen): Renderer => {
    const key = drawKeyOf(screen);
    let r = renderers.get(key);
    if (!r) {
      const { width, height } = outputOf(screen);
      const page = pageOf(screen);
      if (page.refused === 'no-url') log.warn('stream.browser-no-url', { screen: screen.id });
      if (page.refused === 'origin') {
        const url = screen.url ?? c.BROWSER_URL ?? '';
        log.error('stream.browser-url-refused', { screen: screen.id, origin: URL.canParse(url) ? new URL(url).origin : '(not a URL)', allowed: c.BROWSER_URL_ALLOW });
      }
      r =
        page.url !== null && o.createBrowserRenderer
          ? o.createBrowserRenderer({ width, height, url: page.url })
          : o.createRenderer({ width, height, lang: screen.lang, screen: screen.scene, show: screen.show, voteUrl: c.VOTE_URL });
      renderers.set(key, r);
    }
    return r;
  };

  const closeRenderer = (key: string, r: Renderer): void => {
    r.close?.().catch((e: unknown) => log.error('stream.renderer-close-failed', { key, error: e }));
  };

  /** Renderers (canvases of a few MB each) of screens no stream shows any more. */
  const pruneRenderers = (): void => {
    const used = new Set([...entries.values()].map((e) => drawKeyOf(e.screen)));
    for (const [key, r] of renderers) {
      if (!used.has(key)) {
        renderers.delete(key);
        frames.delete(key);
        closeRenderer(key, r);
      }
    }
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

  const frameFor = (screen: Screen, t: number): DrawnFrame => {
    const v = viewAt(t);
    const key = drawKeyOf(screen);
    const cached = frames.get(key);
    if (cached && cached.index >= v.index) return cached.frame;
    const frame = { rgba: rendererFor(screen).render(v.view, v.t), sfx: v.view.sfx };
    frames.set(key, { index: v.index, frame });
    return frame;
  };

  const desired = (): Map<string, Screen> => {
    const d = new Map<string, Screen>();
    for (const s of c.STATIC_STREAMS) d.set(s.streamKey, localScreen(s.screenId));
    // The room is the operator's voice: it wins over a static entry for the same key.
    for (const s of roomStreams) d.set(s.streamKey, s.screen ?? localScreen(s.screenId));
    return d;
  };

  const start = (key: string, screen: Screen, previous: Entry | undefined): void => {
    log.secret(key);
    const screenId = screen.id;
    const entry: Entry = { screenId, screen, running: null, startedAt: now(), failure: null, wantedAt: previous?.wantedAt ?? now(), liveAt: previous?.liveAt ?? null };
    entries.set(key, entry);
    const out = outputOf(screen);
    try {
      entry.running = o.startStream({
        streamKey: key,
        rtmpUrl: c.RTMP_URL,
        width: out.width,
        height: out.height,
        fps: c.FPS,
        bitrate: out.bitrate,
        preset: c.X264_PRESET,
        audio: c.AUDIO,
        audioLoudnessLufs: c.AUDIO_LOUDNESS_LUFS,
        ...(c.FFMPEG_PATH ? { ffmpegPath: c.FFMPEG_PATH } : {}),
        ...(c.STALL_TIMEOUT_MS ? { stallTimeoutMs: c.STALL_TIMEOUT_MS } : {}),
        // The entry's screen as it is now: a change of scene, language or parts shows from the next frame.
        frame: (t) => frameFor(entry.screen, t),
        log: (event, fields = {}) => {
          const level = /crash|error/.test(event) ? 'error' : /stall|exit|retry|stderr|dropped/.test(event) ? 'warn' : 'info';
          log[level](event.startsWith('stream') ? event : `stream.${event}`, { streamKey: key, screen: screenId, ...fields });
        },
      });
      log.info('stream.started', { streamKey: key, screen: screenId, scene: screen.scene, lang: screen.lang, resolution: screen.resolution });
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
      else if (screen.id !== entry.screenId) stops.push(stopEntry(key, entry, `screen ${entry.screenId} → ${screen.id}`));
      else if (screen.resolution !== entry.screen.resolution) stops.push(stopEntry(key, entry, `screen ${screen.id} resolution ${entry.screen.resolution} → ${screen.resolution}`));
      else if (keyOf(screen) !== keyOf(entry.screen)) {
        entry.screen = screen;
        log.info('stream.screen-changed', { streamKey: key, screen: screen.id, scene: screen.scene, lang: screen.lang });
      }
    }
    await Promise.all(stops);
    pruneRenderers();
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

  // /health asks how long each desired stream has gone without being live. Looking every second keeps the answer
  // right to a second, however rarely anyone asks (a stream live for a few seconds between two checks counts).
  const markLive = () => {
    for (const e of entries.values()) if (e.running?.stats().state === 'live') e.liveAt = now();
  };
  const liveWatch = setInterval(markLive, 1000);
  liveWatch.unref();

  // STATIC_STREAMS run from the start, before (or without) the edge.
  if (c.STATIC_STREAMS.length > 0) void schedule();

  return {
    setRoomStreams(streams) {
      roomStreams = streams.map((s) => ({ screenId: s.screenId, streamKey: s.streamKey, ...(s.screen ? { screen: s.screen } : {}) }));
      return schedule();
    },
    statuses: () => [...entries].map(([k, e]) => statusOf(k, e)),
    notLive() {
      markLive();
      const limitMs = c.HEALTH_NOT_LIVE_SEC * 1000;
      const out: NotLive[] = [];
      for (const [key, e] of entries) {
        const status = statusOf(key, e);
        const ms = now() - (e.liveAt ?? e.wantedAt);
        if (status.state === 'live' || ms < limitMs) continue;
        out.push({ streamKey: key, screenId: e.screenId, state: status.state, notLiveSec: Math.floor(ms / 1000), ...(status.error ? { error: status.error } : {}) });
      }
      return out;
    },
    async snapshotPng() {
      const live = [...entries.values()].find((e) => e.running && frames.has(drawKeyOf(e.screen)));
      if (live) return rendererFor(live.screen).png();
      // The canvas even on a node whose screens are pages: a snapshot of an idle node is not worth a Chromium.
      const fight: Screen = { ...localScreen('fight'), renderer: 'canvas' };
      frameFor(fight, now());
      return rendererFor(fight).png();
    },
    async stop() {
      stopped = true;
      clearInterval(liveWatch);
      if (retryTimer) clearTimeout(retryTimer);
      await chain;
      await Promise.all([...entries].map(([k, e]) => stopEntry(k, e, 'shutdown')));
      // A browser renderer's Chromium outlives nothing: every renderer is closed with the last stream.
      await Promise.all([...renderers.values()].map((r) => r.close?.().catch((e: unknown) => log.error('stream.renderer-close-failed', { error: e }))));
      renderers.clear();
    },
  };
}
