/**
 * Keeps an FFmpeg running for as long as the stream runs: one session per FFmpeg process, a restart with capped
 * exponential backoff whenever it exits, and a kill when it stops making progress. It knows nothing of frames: the
 * frame loop finds the running session here and writes to it.
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
  /** Backoff between restarts; defaults suit production, tests shorten them. */
  backoff?: { firstMs?: number; capMs?: number; healthyMs?: number };
  /** Grace for each step of a clean stop (close inputs, then SIGTERM, then SIGKILL). */
  stopGraceMs?: number;
  onProgress?: (p: FfmpegProgress) => void;
  counters: StreamCounters;
  stop: StopSignal;
  log: (event: string, fields?: Record<string, unknown>) => void;
  now: () => number;
}

export interface Supervisor {
  /** The session running now, if any. */
  session(): EncoderSession | null;
  /** Runs FFmpeg after FFmpeg until the stop signal; resolves once the last one is gone. */
  run(): Promise<void>;
}

/** FFmpeg's first stderr lines of a session are logged (the reason it cannot start, usually); the rest are not. */
const STDERR_LINES_LOGGED = 20;

export function createSupervisor(o: SupervisorOptions): Supervisor {
  const { counters, log, now, stop } = o;
  const firstMs = o.backoff?.firstMs ?? 250;
  const capMs = o.backoff?.capMs ?? 30_000;
  const healthyMs = o.backoff?.healthyMs ?? 60_000;
  let current: EncoderSession | null = null;

  async function runOnce(): Promise<{ exit: FfmpegExit; liveMs: number; stalled: boolean }> {
    let lastEncoded = 0;
    let lastAdvanceAt = now();
    let stderrLines = 0;
    const s: EncoderSession = {
      liveAt: null,
      speed: 0,
      proc: spawnFfmpeg(o.ffmpegPath, o.args, {
        onProgress: (p) => {
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
              log('stream-live', { pid: s.proc.pid, restarts: counters.restarts });
            }
          }
        },
        onStderrLine: (line) => {
          if (++stderrLines <= STDERR_LINES_LOGGED) log('ffmpeg-stderr', { pid: s.proc.pid, line });
        },
      }),
    };
    current = s;
    log('ffmpeg-start', { pid: s.proc.pid, restarts: counters.restarts });
    const stall = watchStall(() => lastAdvanceAt, o.stallTimeoutMs, now);
    try {
      const outcome = await stop.race(Promise.race([s.proc.exited.then(() => 'exit' as const), stall.done]));
      if (outcome === 'stall') {
        log('ffmpeg-stall', { pid: s.proc.pid, stallTimeoutMs: o.stallTimeoutMs });
        s.proc.kill();
      } else if (outcome === 'stop') {
        await s.proc.stop(o.stopGraceMs ?? 2000);
      }
      const exit = await s.proc.exited;
      return { exit, liveMs: s.liveAt === null ? 0 : now() - s.liveAt, stalled: outcome === 'stall' };
    } finally {
      stall.cancel();
      current = null;
      // Whatever went wrong above, no FFmpeg outlives its session.
      s.proc.kill();
      await s.proc.exited;
    }
  }

  async function run() {
    let delay = firstMs;
    while (!stop.stopped) {
      const { exit, liveMs, stalled } = await runOnce();
      if (stop.stopped) break;
      setError(counters, stalled ? `ffmpeg made no progress for ${o.stallTimeoutMs} ms` : describeExit(exit));
      log('ffmpeg-exit', { code: exit.code, signal: exit.signal, liveSec: Math.round(liveMs / 1000), stderr: exit.stderrTail.slice(-5) });
      // A session that stayed live this long was healthy: the next failure starts the backoff over.
      if (liveMs >= healthyMs) delay = firstMs;
      counters.state = 'retrying';
      log('stream-retry', { inMs: delay, error: counters.error });
      await stop.sleep(delay);
      delay = Math.min(capMs, delay * 2);
      if (!stop.stopped) counters.restarts++;
    }
  }

  return { session: () => current, run };
}

function describeExit(exit: FfmpegExit): string {
  const why = exit.stderrTail.at(-1) ?? '';
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `ffmpeg ${how}${why ? `: ${why}` : ''}`.slice(0, MAX_ERROR_LEN);
}
