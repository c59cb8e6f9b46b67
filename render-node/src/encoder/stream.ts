/**
 * One supervised live stream: a frame loop that draws on a fixed cadence and feeds FFmpeg (frame-loop.ts), and a
 * supervisor that keeps an FFmpeg running forever (supervisor.ts). The two only share the current session, so
 * drawing never stops because the RTMP side is down. This file wires them and answers for the stream.
 */
import type { StreamStatus } from '@stream-fighter/core';
import { createAudioFeed } from './audio-feed.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { findFfmpeg } from './find-ffmpeg.ts';
import { createFrameLoop, type DrawnFrame } from './frame-loop.ts';
import type { FfmpegProgress } from './progress.ts';
import { createStopSignal, type StopSignal } from './stop-signal.ts';
import { createCounters, setError, streamStatus } from './stream-stats.ts';
import { createSupervisor, type Backoff, type EncoderSession } from './supervisor.ts';
import { probeTcp, rtmpEndpoint } from './target-probe.ts';

export type { DrawnFrame } from './frame-loop.ts';

export interface StreamOptions {
  streamKey: string;
  rtmpUrl: string;
  width: number;
  height: number;
  fps: number;
  bitrate: string;
  preset: string;
  audio: 'music' | 'bed';
  /** Program loudness in LUFS (AUDIO_LOUDNESS_LUFS); the mixer's default when unset. */
  audioLoudnessLufs?: number;
  ffmpegPath?: string;
  /**
   * Draw the frame due at `t` (epoch ms). The buffer must stay unchanged until the next call, and may be released
   * after it: the stream copies the frames it sends into buffers of its own, so it never holds on to this one.
   */
  frame: (t: number) => DrawnFrame;
  log: (event: string, fields?: Record<string, unknown>) => void;
  stallTimeoutMs?: number;
  /** Restart timing (supervisor.ts says what each is for); defaults suit production, tests shorten them. */
  backoff?: Backoff;
  /** Grace for each step of a clean stop (close inputs, then SIGTERM, then SIGKILL). */
  stopGraceMs?: number;
  /**
   * Called once the pixels drawn for slot `t` (the `t` given to `frame`) are all in FFmpeg's stdin; not for the
   * repeats that fill missed slots. The bench measures snapshot-to-encoder latency with it.
   */
  onFrameWritten?: (t: number) => void;
  /** FFmpeg's progress reports as they come (about once a second), for benches and diagnostics. */
  onProgress?: (p: FfmpegProgress) => void;
}

export interface StreamHandle {
  stats(): StreamStatus;
  /** The last frame handed to FFmpeg: a view of the stream's own buffer (later frames reuse it), not a copy. */
  latestFrame(): Buffer | null;
  /** Pid of the FFmpeg currently running, if any (tests, diagnostics). */
  ffmpegPid(): number | undefined;
  stop(): Promise<void>;
}

/** How long a crashed loop waits before it goes again. */
const CRASH_PAUSE_MS = 1000;

export function startStream(opts: StreamOptions): StreamHandle {
  const now = () => performance.now();
  const counters = createCounters();
  const stop = createStopSignal();
  const log = (event: string, fields?: Record<string, unknown>) => {
    try {
      opts.log(event, { streamKey: opts.streamKey, ...fields });
    } catch {
      // A broken logger must not take the stream down.
    }
  };
  const handle = (parts: { done: Promise<void>; session?: () => EncoderSession | null; latest?: () => Buffer | null }): StreamHandle => ({
    stats: () => streamStatus(opts.streamKey, counters, parts.session?.() ?? null, now()),
    latestFrame: () => parts.latest?.() ?? null,
    ffmpegPid: () => parts.session?.()?.proc.pid,
    stop: async () => {
      stop.stop();
      await parts.done;
    },
  });

  let ffmpegPath: string;
  let args: string[];
  let target: ReturnType<typeof rtmpEndpoint>;
  try {
    ffmpegPath = opts.ffmpegPath ?? findFfmpeg();
    args = buildFfmpegArgs(opts);
    target = rtmpEndpoint(opts.rtmpUrl);
  } catch (err) {
    // Configuration errors never fix themselves: report them instead of retrying forever.
    counters.state = 'error';
    setError(counters, err instanceof Error ? err.message : String(err));
    log('stream-error', { error: counters.error });
    return handle({ done: Promise.resolve() });
  }

  const supervisor = createSupervisor({
    ffmpegPath,
    args,
    stallTimeoutMs: opts.stallTimeoutMs ?? 10_000,
    backoff: opts.backoff,
    reachable: () => probeTcp(target),
    stopGraceMs: opts.stopGraceMs,
    onProgress: opts.onProgress,
    counters,
    stop,
    log,
    now,
  });
  const frames = createFrameLoop({
    width: opts.width,
    height: opts.height,
    fps: opts.fps,
    draw: opts.frame,
    session: supervisor.feedSession,
    audio: createAudioFeed(opts.audio, opts.fps, opts.audioLoudnessLufs),
    counters,
    stop,
    log,
    now,
    onFrameWritten: opts.onFrameWritten,
  });

  const done = Promise.all([forever('frame-loop', frames.run, stop, log), forever('supervisor', supervisor.run, stop, log)]).then(() => {
    counters.state = 'stopped';
    log('stream-stopped', { restarts: counters.restarts, droppedFrames: counters.droppedFrames });
  });
  return handle({ done, session: supervisor.session, latest: frames.latest });
}

/** A bug in either loop must not end a stream that is meant to run for weeks: log it and go again. */
async function forever(name: string, loop: () => Promise<void>, stop: StopSignal, log: (event: string, fields?: Record<string, unknown>) => void) {
  while (!stop.stopped) {
    try {
      await loop();
    } catch (err) {
      log(`${name}-crash`, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      await stop.sleep(CRASH_PAUSE_MS);
    }
  }
}
