/**
 * One supervised live stream: a frame loop that draws on a fixed cadence and feeds FFmpeg, and a supervisor
 * that keeps an FFmpeg running forever (restart with capped backoff, kill on stall). The two only share the
 * current session, so drawing never stops because the RTMP side is down.
 */
import { createAudioMixer, samplesForFrame } from './audio-mixer.ts';
import { buildFfmpegArgs } from './ffmpeg-args.ts';
import { spawnFfmpeg, type FfmpegExit, type FfmpegProcess } from './ffmpeg-process.ts';
import { findFfmpeg } from './find-ffmpeg.ts';
import type { FfmpegProgress } from './progress.ts';
import { createPacer } from './pacer.ts';
import { SFX_KINDS, type Sfx } from './synth.ts';

export type StreamState = 'starting' | 'live' | 'retrying' | 'stopped' | 'error';

/** Same shape as core's `StreamStatus`. */
export interface StreamStats {
  streamKey: string;
  state: StreamState;
  fps: number;
  speed: number;
  droppedFrames: number;
  restarts: number;
  uptimeSec: number;
  error?: string;
}

export interface Frame {
  rgba: Buffer | Uint8Array;
  /**
   * Hits to sound with this frame (the ones since the previous call): an array of 'punch' | 'kick' | 'special' |
   * 'ko'. Typed loosely because it crosses from the scene; anything else in it is ignored.
   */
  sfx?: readonly Sfx[] | unknown;
}

export interface StreamOptions {
  streamKey: string;
  rtmpUrl: string;
  width: number;
  height: number;
  fps: number;
  bitrate: string;
  preset: string;
  audio: 'music' | 'bed';
  ffmpegPath?: string;
  /**
   * Draw the frame due at `t` (epoch ms). The buffer must stay unchanged until the next call, and may be released
   * after it: the stream copies the frames it sends into buffers of its own, so it never holds on to this one.
   */
  frame: (t: number) => Frame;
  log: (event: string, fields?: Record<string, unknown>) => void;
  stallTimeoutMs?: number;
  /** Backoff between restarts; defaults suit production, tests shorten them. */
  backoff?: { firstMs?: number; capMs?: number; healthyMs?: number };
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
  stats(): StreamStats;
  /** The last frame handed to FFmpeg: a view of the stream's own buffer (later frames reuse it), not a copy. */
  latestFrame(): Buffer | null;
  /** Pid of the FFmpeg currently running, if any (tests, diagnostics). */
  ffmpegPid(): number | undefined;
  stop(): Promise<void>;
}

interface Session {
  proc: FfmpegProcess;
  liveAt: number | null;
  lastAdvanceAt: number;
  lastEncoded: number;
  speed: number;
  /** The batch being written (`pos` is the item in the pipe now), and at most one batch waiting behind it. */
  current: Item[] | null;
  pos: number;
  pending: Item[] | null;
  /** The slot of the first frame queued, and frames queued since: media time is `queued / fps` from there. */
  firstSlot: number | null;
  queued: number;
  /** The last frame queued: what fills slots that were missed. */
  lastRgba: Buffer | null;
}

/** One frame's worth for FFmpeg: video (one of the stream's own buffers) and its share of audio. */
interface Item {
  rgba: Buffer;
  pcm: Buffer;
  /** The slot a freshly drawn frame was drawn for; absent on repeats that fill missed slots. */
  t?: number;
}

/** While FFmpeg is not taking frames we still draw at least this often, so the scene (and its clocks) stay current. */
const MIN_DRAW_INTERVAL_MS = 1000;
const MAX_ERROR_LEN = 300;

export function startStream(opts: StreamOptions): StreamHandle {
  const now = () => performance.now();
  const firstMs = opts.backoff?.firstMs ?? 250;
  const capMs = opts.backoff?.capMs ?? 30_000;
  const healthyMs = opts.backoff?.healthyMs ?? 60_000;
  const stallTimeoutMs = opts.stallTimeoutMs ?? 10_000;
  const frameBytes = opts.width * opts.height * 4;

  let state: StreamState = 'starting';
  let error: string | undefined;
  let restarts = 0;
  let dropped = 0;
  let written = 0;
  /** Frames queued across sessions: the audio block index, so every frame gets exactly its share of samples. */
  let enqueued = 0;
  let fps = 0;
  let latest: Buffer | null = null;
  let session: Session | null = null;
  let stopping = false;
  // Waiters on stop() register and unregister here rather than racing one long-lived promise: each
  // Promise.race against a promise that stays pending for weeks leaves a reaction behind on it.
  const stopWaiters = new Set<() => void>();
  const wake = () => {
    for (const w of stopWaiters) w();
  };
  /** Resolves with p's value, or 'stop' as soon as stop() is called. */
  const untilStop = <T,>(p: Promise<T>): Promise<T | 'stop'> =>
    new Promise((resolve, reject) => {
      const w = () => resolve('stop');
      if (stopping) return w();
      stopWaiters.add(w);
      p.then(resolve, reject).finally(() => stopWaiters.delete(w));
    });

  const log = (event: string, fields?: Record<string, unknown>) => {
    try {
      opts.log(event, { streamKey: opts.streamKey, ...fields });
    } catch {
      // A broken logger must not take the stream down.
    }
  };
  const fail = (message: string) => (error = message.slice(0, MAX_ERROR_LEN));

  let ffmpegPath: string;
  let args: string[];
  try {
    ffmpegPath = opts.ffmpegPath ?? findFfmpeg();
    args = buildFfmpegArgs(opts);
  } catch (err) {
    // Configuration errors never fix themselves: report them instead of retrying forever.
    state = 'error';
    fail(err instanceof Error ? err.message : String(err));
    log('stream-error', { error });
    return handle(Promise.resolve());
  }

  const mixer = createAudioMixer(opts.audio);

  // The stream sends FFmpeg copies of the frames it is given, in two buffers of its own that live as long as the
  // stream: a frame only stays valid until the next call to `frame` (the renderer then releases it), while a write,
  // the repeat of missed slots and a frame waiting for the pipe all outlive that call.
  const own: Buffer[] = [];
  const refersTo = (items: Item[] | null, from: number, buf: Buffer) => {
    if (items) for (let i = from; i < items.length; i++) if (items[i]!.rgba === buf) return true;
    return false;
  };
  /** A buffer no queued write reads and that is not the last frame (the next repeats may need it), or null. */
  function freeBuffer(s: Session): Buffer | null {
    for (let i = 0; i < 2; i++) {
      const buf = (own[i] ??= Buffer.allocUnsafeSlow(frameBytes));
      if (buf !== s.lastRgba && !refersTo(s.current, s.pos, buf) && !refersTo(s.pending, 0, buf)) return buf;
    }
    return null;
  }

  /**
   * Writes batches one item at a time, each write awaited before the next (back-pressure: a slow FFmpeg slows us
   * down instead of buffering in the pipe's user-space queue), both racing FFmpeg's exit inside the wrapper. A batch
   * queued while one is being written waits in `pending`; the frame loop never queues a second one.
   */
  function enqueue(s: Session, batch: Item[]) {
    if (s.current) {
      s.pending = batch;
      return;
    }
    void drain(s, batch);
  }

  async function drain(s: Session, first: Item[]) {
    s.current = first;
    try {
      while (s.current) {
        for (s.pos = 0; s.pos < s.current.length; s.pos++) {
          const { rgba, pcm, t } = s.current[s.pos]!;
          const [v, a] = await Promise.all([s.proc.writeVideo(rgba), s.proc.writeAudio(pcm)]);
          if (!v || !a) return;
          written++;
          if (t !== undefined && opts.onFrameWritten) {
            try {
              opts.onFrameWritten(t);
            } catch {
              // An observer must not break the stream.
            }
          }
        }
        s.current = s.pending;
        s.pending = null;
      }
    } finally {
      // FFmpeg is gone if we got here early: what was queued for it is lost with it, never resent.
      s.current = null;
      s.pending = null;
    }
  }

  async function frameLoop() {
    const pacer = createPacer(opts.fps);
    let lastDrawAt = -Infinity;
    let windowStart = now();
    let windowWritten = written;
    let frameErrors = 0;
    let lastErrorLogAt = -Infinity;
    while (!stopping) {
      const slot = await pacer.next();
      if (stopping) break;
      const t = now();
      if (t - windowStart >= 1000) {
        fps = session ? ((written - windowWritten) * 1000) / (t - windowStart) : 0;
        windowStart = t;
        windowWritten = written;
      }
      const s = session;
      if (s) dropped += slot.missed;
      // A frame is late when it cannot be queued: one batch is in the pipe and another already waits behind it (or
      // both our buffers are taken). One waiting batch is the slack that absorbs a slow write or a busy moment of
      // the CPU; past it, the slot is dropped and counted, so nothing queues without bound.
      const buf = s ? (s.pending ? null : freeBuffer(s)) : null;
      const late = s !== null && buf === null;
      if (late) {
        dropped++;
        if (t - lastDrawAt < MIN_DRAW_INTERVAL_MS) continue;
      }
      let frame: Frame;
      try {
        frame = opts.frame(slot.t);
        if (frame.rgba.byteLength !== frameBytes) {
          throw new Error(`frame is ${frame.rgba.byteLength} bytes, expected ${frameBytes} (${opts.width}x${opts.height} RGBA)`);
        }
      } catch (err) {
        if (s) dropped++;
        frameErrors++;
        if (t - lastErrorLogAt > 10_000) {
          lastErrorLogAt = t;
          log('frame-error', { error: err instanceof Error ? err.message : String(err), count: frameErrors });
        }
        continue;
      }
      lastDrawAt = t;
      if (!s || !buf) continue;
      buf.set(frame.rgba);
      latest = buf;

      // Timestamps are frame counts, so every slot skipped would put the stream's clock behind the wall clock
      // for good (receivers see speed < 1 and their buffers drain). Fill the slots we missed with the last
      // frame again, with their share of audio; past a second behind, accept the gap rather than chase it.
      s.firstSlot ??= slot.index;
      let behind = slot.index - s.firstSlot - s.queued;
      if (behind > opts.fps || !s.lastRgba) {
        s.firstSlot += behind;
        behind = 0;
      }
      const batch: Item[] = [];
      for (let i = 0; i < behind; i++) batch.push({ rgba: s.lastRgba!, pcm: mixer.render(samplesForFrame(enqueued + i, opts.fps)) });
      if (Array.isArray(frame.sfx)) for (const kind of frame.sfx) if (isSfx(kind)) mixer.trigger(kind);
      batch.push({ rgba: buf, pcm: mixer.render(samplesForFrame(enqueued + behind, opts.fps)), t: slot.t });
      enqueued += batch.length;
      s.queued += batch.length;
      s.lastRgba = buf;
      enqueue(s, batch);
    }
  }

  /** Resolves 'stall' once FFmpeg has made no progress for stallTimeoutMs. */
  function watchStall(s: Session): { done: Promise<'stall'>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<'stall'>((resolve) => {
      timer = setInterval(() => {
        if (now() - s.lastAdvanceAt > stallTimeoutMs) resolve('stall');
      }, Math.min(500, stallTimeoutMs / 4));
    });
    return { done, cancel: () => clearInterval(timer) };
  }

  async function runOnce(): Promise<{ exit: FfmpegExit; liveMs: number; stalled: boolean }> {
    const s: Session = { proc: undefined as unknown as FfmpegProcess, liveAt: null, lastAdvanceAt: now(), lastEncoded: 0, speed: 0, current: null, pos: 0, pending: null, firstSlot: null, queued: 0, lastRgba: null };
    let stderrLines = 0;
    s.proc = spawnFfmpeg(ffmpegPath, args, {
      onProgress: (p) => {
        s.speed = p.speed;
        try {
          opts.onProgress?.(p);
        } catch {
          // An observer must not break the stream.
        }
        if (p.frame > s.lastEncoded) {
          s.lastEncoded = p.frame;
          s.lastAdvanceAt = now();
          if (s.liveAt === null) {
            s.liveAt = now();
            state = 'live';
            error = undefined;
            log('stream-live', { pid: s.proc.pid, restarts });
          }
        }
      },
      onStderrLine: (line) => {
        if (++stderrLines <= 20) log('ffmpeg-stderr', { pid: s.proc.pid, line });
      },
    });
    session = s;
    log('ffmpeg-start', { pid: s.proc.pid, restarts });
    const stall = watchStall(s);
    try {
      const outcome = await untilStop(Promise.race([s.proc.exited.then(() => 'exit' as const), stall.done]));
      if (outcome === 'stall') {
        log('ffmpeg-stall', { pid: s.proc.pid, stallTimeoutMs });
        s.proc.kill();
      } else if (outcome === 'stop') {
        await s.proc.stop(opts.stopGraceMs ?? 2000);
      }
      const exit = await s.proc.exited;
      return { exit, liveMs: s.liveAt === null ? 0 : now() - s.liveAt, stalled: outcome === 'stall' };
    } finally {
      stall.cancel();
      session = null;
      // Whatever went wrong above, no FFmpeg outlives its session.
      s.proc.kill();
      await s.proc.exited;
    }
  }

  async function supervise() {
    let delay = firstMs;
    while (!stopping) {
      const { exit, liveMs, stalled } = await runOnce();
      if (stopping) break;
      fail(stalled ? `ffmpeg made no progress for ${stallTimeoutMs} ms` : describeExit(exit));
      log('ffmpeg-exit', { code: exit.code, signal: exit.signal, liveSec: Math.round(liveMs / 1000), stderr: exit.stderrTail.slice(-5) });
      if (liveMs >= healthyMs) delay = firstMs;
      state = 'retrying';
      log('stream-retry', { inMs: delay, error });
      let timer: NodeJS.Timeout | undefined;
      await untilStop(new Promise((r) => (timer = setTimeout(r, delay))));
      clearTimeout(timer);
      delay = Math.min(capMs, delay * 2);
      if (!stopping) restarts++;
    }
  }

  /** A bug in either loop must not end a stream that is meant to run for weeks: log it and go again. */
  async function forever(name: string, loop: () => Promise<void>) {
    while (!stopping) {
      try {
        await loop();
      } catch (err) {
        log(`${name}-crash`, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        await untilStop(new Promise((r) => setTimeout(r, 1000)));
      }
    }
  }

  const running = Promise.all([forever('frame-loop', frameLoop), forever('supervisor', supervise)]).then(() => {
    state = 'stopped';
    log('stream-stopped', { restarts, droppedFrames: dropped });
  });

  return handle(running);

  function handle(done: Promise<void>): StreamHandle {
    return {
      stats: () => ({
        streamKey: opts.streamKey,
        state,
        fps: state === 'live' ? Math.round(fps * 10) / 10 : 0,
        speed: state === 'live' ? (session?.speed ?? 0) : 0,
        droppedFrames: dropped,
        restarts,
        uptimeSec: state === 'live' && session?.liveAt != null ? Math.floor((now() - session.liveAt) / 1000) : 0,
        ...(error !== undefined ? { error } : {}),
      }),
      latestFrame: () => latest,
      ffmpegPid: () => session?.proc.pid,
      stop: async () => {
        stopping = true;
        wake();
        await done;
      },
    };
  }
}

const isSfx = (x: unknown): x is Sfx => SFX_KINDS.includes(x as Sfx);

function describeExit(exit: FfmpegExit): string {
  const why = exit.stderrTail.at(-1) ?? '';
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `ffmpeg ${how}${why ? `: ${why}` : ''}`.slice(0, MAX_ERROR_LEN);
}
