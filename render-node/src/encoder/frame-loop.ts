/**
 * The stream's frame loop: on every slot of a fixed cadence, draw (or not), and hand FFmpeg the frame with its
 * share of audio, repeated where slots were missed. The decisions are frame-planner.ts's; this carries them out
 * against the session the supervisor is running, if any, so drawing never stops while the RTMP side is down.
 */
import type { AudioFeed } from './audio-feed.ts';
import { createFrameBuffers } from './frame-buffers.ts';
import { VIDEO_QUEUE_FRAMES } from './ffmpeg-args.ts';
import { emptyTimeline, planBatch, planSlot, type BatchPlan, type MediaTimeline } from './frame-planner.ts';
import { createFrameWriter, type FrameWriter, type QueuedFrame } from './frame-writer.ts';
import { createPacer } from './pacer.ts';
import type { StopSignal } from './stop-signal.ts';
import { createFpsWindow, type StreamCounters } from './stream-stats.ts';
import type { EncoderSession } from './supervisor.ts';
import type { Sfx } from './synth.ts';

/** What the scene hands the stream for one slot. */
export interface DrawnFrame {
  rgba: Buffer | Uint8Array;
  /**
   * Hits to sound with this frame (the ones since the previous call): an array of 'punch' | 'kick' | 'special' |
   * 'ko'. Typed loosely because it crosses from the scene; anything else in it is ignored.
   */
  sfx?: readonly Sfx[] | unknown;
}

export interface FrameLoopOptions {
  width: number;
  height: number;
  fps: number;
  /** Draws the frame due at `t` (epoch ms); the frame stays valid until the next call. */
  draw: (t: number) => DrawnFrame;
  /** The FFmpeg session running now, if any. */
  session: () => EncoderSession | null;
  audio: AudioFeed;
  counters: StreamCounters;
  stop: StopSignal;
  log: (event: string, fields?: Record<string, unknown>) => void;
  now: () => number;
  /** Called once the pixels drawn for slot `t` are all in FFmpeg's stdin; not for repeats. */
  onFrameWritten?: (t: number) => void;
}

export interface FrameLoop {
  /** Runs until the stop signal. */
  run(): Promise<void>;
  /** The last frame handed to FFmpeg: one of the loop's own buffers (later frames reuse it), not a copy. */
  latest(): Buffer | null;
}

/** What the loop keeps per FFmpeg session: its write queue and its media clock. */
interface SessionInput {
  session: EncoderSession;
  writer: FrameWriter;
  timeline: MediaTimeline;
}

/** A frame that cannot be drawn is logged at most this often; the count says how many there were. */
const FRAME_ERROR_LOG_MS = 10_000;

/**
 * Dropped frames are logged at most this often, by cause, so an operator (and the soak) can tell a render node
 * that woke late (its event loop or CPU busy: `late`) from an FFmpeg that had not taken the frames before
 * (`blocked`) and from frames that failed to draw (`error`); `longestGap` is the most slots missed in a row (a stall
 * of that many frame periods).
 */
export const DROP_LOG_MS = 10_000;

/**
 * The most repeats one batch carries: with its fresh frame, half of FFmpeg's input queue. The slots missed while the
 * machine was busy used to come back as one batch of up to a second of frames, written back to back into a queue of
 * 8 just when FFmpeg was slowest (x264 warming up at 1080p under load: "Thread message queue blocking"). Slots older
 * than that are given up instead of chased: they were already counted as dropped when they were missed, and the
 * media clock moves past them, as planBatch does past a second.
 */
export const MAX_REPEATS = VIDEO_QUEUE_FRAMES / 2 - 1;

/** `plan` with at most MAX_REPEATS repeats; the timeline skips the slots left out. */
export function capRepeats(plan: BatchPlan, max = MAX_REPEATS): BatchPlan {
  const skipped = plan.repeats - max;
  if (skipped <= 0) return plan;
  const { firstSlot, queued } = plan.timeline;
  return { repeats: max, timeline: { firstSlot: (firstSlot ?? 0) + skipped, queued: queued - skipped } };
}

export function createFrameLoop(o: FrameLoopOptions): FrameLoop {
  const { counters, audio, stop, now } = o;
  const frameBytes = o.width * o.height * 4;
  const buffers = createFrameBuffers(frameBytes, now);
  let latest: Buffer | null = null;
  // Kept across restarts of run(): a session's queue and clock belong to its FFmpeg, not to one run of the loop.
  let input: SessionInput | null = null;

  const onWritten = (frame: QueuedFrame) => {
    counters.written++;
    if (frame.t !== undefined) o.onFrameWritten?.(frame.t);
  };

  const inputFor = (session: EncoderSession | null): SessionInput | null => {
    if (!session) return (input = null);
    if (input?.session !== session) input = { session, writer: createFrameWriter(session.proc, onWritten), timeline: emptyTimeline() };
    return input;
  };

  async function run() {
    const pacer = createPacer(o.fps);
    const fps = createFpsWindow(now(), counters.written);
    let lastDrawAt = -Infinity;
    let frameErrors = 0;
    let lastErrorLogAt = -Infinity;
    let drops = { late: 0, blocked: 0, error: 0, longestGap: 0 };
    let lastDropLogAt = -Infinity;
    while (!stop.stopped) {
      const slot = await pacer.next();
      if (stop.stopped) break;
      const t = now();
      const session = o.session();
      const rate = fps.close(t, counters.written);
      if (rate !== undefined) counters.fps = session ? rate : 0;
      if (drops.late + drops.blocked + drops.error > 0 && t - lastDropLogAt >= DROP_LOG_MS) {
        o.log('frames-dropped', drops);
        drops = { late: 0, blocked: 0, error: 0, longestGap: 0 };
        lastDropLogAt = t;
      }

      const s = inputFor(session);
      const buf = s && !s.writer.full ? buffers.free((b) => s.writer.holds(b)) : null;
      const plan = planSlot({ streaming: s !== null, missed: slot.missed, canQueue: buf !== null, sinceDrawMs: t - lastDrawAt });
      counters.droppedFrames += plan.dropped;
      if (plan.dropped > 0) {
        const late = Math.min(slot.missed, plan.dropped);
        drops.late += late;
        drops.blocked += plan.dropped - late;
        drops.longestGap = Math.max(drops.longestGap, late);
      }
      if (!plan.draw) continue;

      let frame: DrawnFrame;
      try {
        frame = o.draw(slot.t);
        if (frame.rgba.byteLength !== frameBytes) {
          throw new Error(`frame is ${frame.rgba.byteLength} bytes, expected ${frameBytes} (${o.width}x${o.height} RGBA)`);
        }
      } catch (err) {
        if (s) {
          counters.droppedFrames++;
          drops.error++;
        }
        frameErrors++;
        if (t - lastErrorLogAt > FRAME_ERROR_LOG_MS) {
          lastErrorLogAt = t;
          o.log('frame-error', { error: err instanceof Error ? err.message : String(err), count: frameErrors });
        }
        continue;
      }
      lastDrawAt = t;
      if (!s || !plan.queue || !buf) continue;
      buf.set(frame.rgba);
      latest = buf;

      // Missed slots are filled with this frame rather than the previous one, so the stream needs no buffer of its
      // own for the last frame besides the one being written (frame-buffers.ts): one 3.7 MB buffer at 720p instead
      // of two. Its sounds start with its first copy, where the picture first shows them.
      const { repeats, timeline } = capRepeats(planBatch(s.timeline, slot.index, o.fps, true));
      audio.trigger(frame.sfx);
      const batch: QueuedFrame[] = [];
      for (let i = 0; i < repeats; i++) batch.push({ rgba: buf, pcm: audio.next() });
      batch.push({ rgba: buf, pcm: audio.next(), t: slot.t });
      s.timeline = timeline;
      s.writer.enqueue(batch);
    }
  }

  // A buffer the stream has given back (frame-buffers.ts) is empty, never a frame.
  return { run, latest: () => (latest && latest.byteLength > 0 ? latest : null) };
}
