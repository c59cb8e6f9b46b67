/**
 * Keeps an FFmpeg running for as long as the stream runs: one session per FFmpeg process, a restart whenever it
 * exits, and a kill when it stops making progress. It knows nothing of frames: the frame loop finds the session
 * that takes frames here and writes to it.
 *
 * Recovery is meant to be quick every time, however often FFmpeg dies:
 * - After a session that went live, the next FFmpeg starts after `firstMs` (100 ms): a stream that was on air is
 *   put back on air at once, the tenth time as the first. Only attempts that fail before streaming at all make the
 *   delay grow (doubling from `firstMs`), and only up to `capMs` (1 s), so a failure that ends (a Restreamer still
 *   starting, a token fixed) is over within a second. A failed attempt is cheap: the frame loop keeps drawing.
 * - Before each FFmpeg but the first, the RTMP target is probed with a TCP connect (`reachable`), again every
 *   `pollMs` (250 ms) while it refuses. An outage of the target (minutes, hours at night) is then waited out with a
 *   socket every 250 ms instead of an FFmpeg process a second (~0.1 s of CPU and a screen of log each), and the
 *   stream resumes within a probe interval plus FFmpeg's start-up (well under 2 s) once the target is back. The 1 s
 *   cap alone would also resume within 2 s, but only by spawning FFmpeg in a loop for as long as the outage lasts.
 *   In case the probe and FFmpeg ever disagree, FFmpeg is tried anyway every `blindMs` (60 s).
 */
import type { FfmpegExit, FfmpegProcess } from './ffmpeg-process.ts';
import { spawnFfmpeg } from './ffmpeg-process.ts';
import type { FfmpegProgress } from './progress.ts';
import { watchStall } from './stall-watchdog.ts';
import type { StopSignal } from './stop-signal.ts';
import { MAX_ERROR_LEN, setError, type SessionFigures, type StreamCounters } from './stream-stats.ts';

/** One FFmpeg process, from spawn to exit. */
export interface EncoderSession extends SessionFigures {
  readonly proc: FfmpegProcess;
}

export interface SupervisorOptions {
  ffmpegPath: string;
  args: readonly string[];
  stallTimeoutMs: number;
  /** Restart timing; defaults suit production (see above), tests shorten them. */
  backoff?: Backoff;
  /** Null when the RTMP target takes connections, else why not; never rejects. Without it FFmpeg is started blind. */
  reachable?: () => Promise<string | null>;
  /** Grace for each step of a clean stop (close inputs, then SIGTERM, then SIGKILL). */
  stopGraceMs?: number;
  onProgress?: (p: FfmpegProgress) => void;
  counters: StreamCounters;
  stop: StopSignal;
  log: (event: string, fields?: Record<string, unknown>) => void;
  now: () => number;
}

export interface Backoff {
  /** Pause before the FFmpeg after a session that went live, and after the first failure in a row. */
  firstMs?: number;
  /** The longest pause between failing attempts. */
  capMs?: number;
  /** How often the target is probed while it refuses connections. */
  pollMs?: number;
  /** FFmpeg is started anyway once the probe has refused this long. */
  blindMs?: number;
}

export interface Supervisor {
  /** The session running now, if any. */
  session(): EncoderSession | null;
  /** The session frames go to now, if any: not between its first frame and FFmpeg being ready (see `Feeding`). */
  feedSession(): EncoderSession | null;
  /** Runs FFmpeg after FFmpeg until the stop signal; resolves once the last one is gone. */
  run(): Promise<void>;
}

/** FFmpeg's first stderr lines of a session are logged (the reason it cannot start, usually); the rest are not. */
const STDERR_LINES_LOGGED = 20;
/** Failures in a row logged in full; after that, one in LOG_EVERY_FAILURES, so weeks of a refused key stay readable. */
const FAILURES_LOGGED = 3;
const LOG_EVERY_FAILURES = 60;
/** The session takes frames once FFmpeg has reported progress, or this long after its first frame went in. */
const FEED_FALLBACK_MS = 3000;

/**
 * Whether the frame loop may write to a session. FFmpeg reads one frame to probe its input, then connects to the
 * RTMP target and sets its encoders up, and only then takes frames at our pace. Frames written in between piled up
 * in its input queue, which holds only a few raw frames (ffmpeg-args.ts says why), and it warned "Thread message
 * queue blocking" on every start; the frame loop's repeats for the slots it had waited then came as one burst. So a
 * session takes its first frame, then none until FFmpeg's first progress report (FFmpeg reports once its output is
 * open and its encoders are set up): meanwhile the frame loop draws and sends nothing, as when no FFmpeg runs, and
 * the session's media clock starts when FFmpeg is ready. The fallback covers an FFmpeg that wants more than one
 * frame before it reports.
 */
interface Feeding {
  firstWriteAt: number | null;
  firstWriteDone: boolean;
  ready: boolean;
}

export function createSupervisor(o: SupervisorOptions): Supervisor {
  const { counters, log, now, stop } = o;
  const firstMs = o.backoff?.firstMs ?? 100;
  const capMs = o.backoff?.capMs ?? 1000;
  const pollMs = o.backoff?.pollMs ?? 250;
  const blindMs = o.backoff?.blindMs ?? 60_000;
  let current: { session: EncoderSession; feeding: Feeding } | null = null;

  const feeds = ({ feeding: f }: { feeding: Feeding }) =>
    f.ready || f.firstWriteAt === null || (f.firstWriteDone && now() - f.firstWriteAt >= FEED_FALLBACK_MS);

  /** `quiet` leaves the start and FFmpeg's stderr out of the log (a long run of identical failures). */
  async function runOnce(quiet: boolean): Promise<{ exit: FfmpegExit; liveMs: number; wentLive: boolean; stalled: boolean }> {
    let lastEncoded = 0;
    let lastAdvanceAt = now();
    let stderrLines = 0;
    const feeding: Feeding = { firstWriteAt: null, firstWriteDone: false, ready: false };
    const proc = spawnFfmpeg(o.ffmpegPath, o.args, {
      onProgress: (p) => {
        feeding.ready = true;
        s.speed = p.speed;
        try {
          o.onProgress?.(p);
        } catch {
          // An observer must not break the stream.
        }
        if (p.frame > lastEncoded) {
          lastEncoded = p.frame;
          lastAdvanceAt = now();
          if (s.liveAt === null) {
            s.liveAt = now();
            counters.state = 'live';
            counters.error = undefined;
            log('stream-live', { pid: proc.pid, restarts: counters.restarts });
          }
        }
      },
      onStderrLine: (line) => {
        if (!quiet && ++stderrLines <= STDERR_LINES_LOGGED) log('ffmpeg-stderr', { pid: proc.pid, line });
      },
    });
    const s: EncoderSession = {
      liveAt: null,
      speed: 0,
      proc: {
        ...proc,
        writeVideo(chunk) {
          const written = proc.writeVideo(chunk);
          if (feeding.firstWriteAt === null) {
            feeding.firstWriteAt = now();
            void written.then(() => (feeding.firstWriteDone = true));
          }
          return written;
        },
      },
    };
    current = { session: s, feeding };
    if (!quiet) log('ffmpeg-start', { pid: proc.pid, restarts: counters.restarts });
    const stall = watchStall(() => lastAdvanceAt, o.stallTimeoutMs, now);
    try {
      const outcome = await stop.race(Promise.race([proc.exited.then(() => 'exit' as const), stall.done]));
      if (outcome === 'stall') {
        log('ffmpeg-stall', { pid: proc.pid, stallTimeoutMs: o.stallTimeoutMs });
        proc.kill();
      } else if (outcome === 'stop') {
        await proc.stop(o.stopGraceMs ?? 2000);
      }
      const exit = await proc.exited;
      return { exit, liveMs: s.liveAt === null ? 0 : now() - s.liveAt, wentLive: s.liveAt !== null, stalled: outcome === 'stall' };
    } finally {
      stall.cancel();
      current = null;
      // Whatever went wrong above, no FFmpeg outlives its session.
      proc.kill();
      await proc.exited;
    }
  }

  /** Returns once the target takes connections (or blindMs has passed, or the stream stops). */
  async function waitForTarget(): Promise<void> {
    if (!o.reachable) return;
    const since = now();
    let why = await stop.race(o.reachable());
    if (why === null || why === 'stop') return;
    counters.state = 'retrying';
    setError(counters, `RTMP target unreachable: ${why}`);
    log('rtmp-unreachable', { error: why, probeEveryMs: pollMs });
    while (why !== null && why !== 'stop' && now() - since < blindMs) {
      await stop.sleep(pollMs);
      if (stop.stopped) return;
      why = await stop.race(o.reachable());
    }
    if (why === 'stop') return;
    if (why === null) log('rtmp-reachable', { downMs: Math.round(now() - since) });
    else log('rtmp-still-unreachable', { error: why, downMs: Math.round(now() - since), startingFfmpegAnyway: true });
  }

  async function run() {
    let delay = firstMs;
    /** Sessions in a row that ended before going live. */
    let failures = 0;
    let sessions = 0;
    while (!stop.stopped) {
      // Not before the first FFmpeg: that one finds out by itself, and a receiver that takes a single connection
      // (`ffmpeg -listen 1`, as the bench and tests use) would spend it on the probe.
      if (sessions > 0) await waitForTarget();
      if (stop.stopped) break;
      if (sessions++ > 0) counters.restarts++;
      const quiet = failures >= FAILURES_LOGGED && failures % LOG_EVERY_FAILURES !== 0;
      const { exit, liveMs, wentLive, stalled } = await runOnce(quiet);
      if (stop.stopped) break;
      setError(counters, stalled ? `ffmpeg made no progress for ${o.stallTimeoutMs} ms` : describeExit(exit));
      // A session that went live resets the backoff: however often a stream on air dies, it comes back as fast.
      // Only attempts that never got that far slow down, and only up to capMs.
      failures = wentLive ? 0 : failures + 1;
      delay = failures <= 1 ? firstMs : Math.min(capMs, delay * 2);
      counters.state = 'retrying';
      if (!quiet) {
        log('ffmpeg-exit', { code: exit.code, signal: exit.signal, liveSec: Math.round(liveMs / 1000), stderr: exit.stderrTail.slice(-5) });
        log('stream-retry', { inMs: delay, failures, error: counters.error });
      }
      await stop.sleep(delay);
    }
  }

  return {
    session: () => current?.session ?? null,
    feedSession: () => (current && feeds(current) ? current.session : null),
    run,
  };
}

function describeExit(exit: FfmpegExit): string {
  const why = exit.stderrTail.at(-1) ?? '';
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `ffmpeg ${how}${why ? `: ${why}` : ''}`.slice(0, MAX_ERROR_LEN);
}
