/**
 * The render node: subscribes to its Arena room as a renderer, draws the fight and pushes it through FFmpeg to
 * RTMP, one stream per stream key the room (or STATIC_STREAMS) asks for. Configuration comes from the
 * environment, checked once here; SIGTERM/SIGINT stop every stream cleanly and exit 0.
 */
import { ConfigError, readConfig, type Config } from './service/config.ts';
import { startApp } from './service/app.ts';
import { createLogger } from './service/log.ts';
import { SceneModel, createRenderer } from './scene/index.ts';
import { findFfmpeg, startStream } from './encoder/index.ts';
import { AUDIO_SAMPLE_RATE } from './encoder/ffmpeg-args.ts';
import { raisePriority } from './encoder/priority.ts';
import { mixLevels } from './audio/levels.ts';
import { createBrowserRenderer } from './browser/browser-renderer.ts';
import { chromiumLaunch } from './browser/chromium.ts';

/** Past this, shutdown gives up waiting and exits non-zero (the encoder has already sent SIGKILL by then). */
const SHUTDOWN_LIMIT_MS = 15_000;

let config: Config;
try {
  config = readConfig();
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
  process.exit(2);
}

const rtmpToken = (() => {
  try {
    return new URL(config.RTMP_URL).searchParams.get('token') ?? '';
  } catch {
    return '';
  }
})();
const log = createLogger({ level: config.LOG_LEVEL, secrets: [config.RENDERER_TOKEN, rtmpToken] });

let ffmpegPath: string;
try {
  ffmpegPath = findFfmpeg(process.env);
} catch (e) {
  log.error('start.no-ffmpeg', { error: e });
  process.exit(1);
}

// Before any FFmpeg, which inherits it (priority.ts says why and what it needs).
const priority = raisePriority();
if (priority.error) log.warn('start.priority-unchanged', { nice: priority.nice, error: priority.error });

// The mix's levels are measured from the sounds (src/audio/levels.ts): 1–3 s of blocked event loop, once per process.
// Here no stream runs yet; at the first stream's start it would stall the frame loop of every stream already on air
// (a restart on a screen change, a second stream key), and they would drop those seconds of frames.
const levelsStart = performance.now();
mixLevels(config.AUDIO, AUDIO_SAMPLE_RATE, config.AUDIO_LOUDNESS_LUFS);
const audioLevelsMs = Math.round(performance.now() - levelsStart);

process.on('unhandledRejection', (e) => log.error('process.unhandled-rejection', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));

const model = new SceneModel();
let app: Awaited<ReturnType<typeof startApp>>;
try {
  // Chromium starts only when a screen is a page (a browser screen, or every screen with USE_CANVAS_RENDERER=false).
  const launch = chromiumLaunch(config);
  app = await startApp({
    config: { ...config, FFMPEG_PATH: ffmpegPath },
    log,
    model,
    startStream,
    createRenderer,
    createBrowserRenderer: (opts) =>
      createBrowserRenderer({
        ...opts,
        fps: config.FPS,
        launch,
        log: (event, fields) => (/restart|failed|timeout|bad-frame/.test(event) ? log.warn : log.info)(event, fields),
      }),
  });
} catch (e) {
  // Typically the HTTP port is taken.
  log.error('start.failed', { error: e });
  process.exit(1);
}
log.info('start.ready', {
  http: app.url,
  edge: config.EDGE_URL,
  room: config.ROOM,
  resolution: config.RESOLUTION,
  fps: config.FPS,
  staticStreams: config.STATIC_STREAMS.length,
  renderer: config.USE_CANVAS_RENDERER ? 'canvas' : 'browser',
  nice: priority.nice,
  audioLevelsMs,
});

let exiting = false;
const shutdown = (signal: string) => {
  if (exiting) return;
  exiting = true;
  log.info('shutdown.begin', { signal });
  const limit = setTimeout(() => {
    log.error('shutdown.timeout', { ms: SHUTDOWN_LIMIT_MS });
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  limit.unref();
  app.stop().then(
    () => {
      log.info('shutdown.done', { signal });
      process.exit(0);
    },
    (e: unknown) => {
      log.error('shutdown.failed', { error: e });
      process.exit(1);
    },
  );
};
// `on`, not `once`: execa's child cleanup (signal-exit) re-raises a signal that no other listener is left to
// handle, which would kill the process before the streams have stopped. A second signal is ignored.
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
