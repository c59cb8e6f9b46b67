/**
 * One FFmpeg session's input queue. Batches are written one frame at a time, video and its audio together, each
 * write awaited before the next (back-pressure: a slow FFmpeg slows us down instead of buffering in the pipe's
 * user-space queue); the process wrapper settles a write as failed when FFmpeg exits, so a dead FFmpeg ends the
 * queue instead of hanging it. A batch queued while one is being written waits behind it; the frame loop never
 * queues a second one.
 */
import type { FfmpegProcess } from './ffmpeg-process.ts';

/** One frame's worth for FFmpeg: video (one of the stream's own buffers) and its share of audio. */
export interface QueuedFrame {
  rgba: Buffer;
  pcm: Buffer;
  /** The slot a freshly drawn frame was drawn for; absent on repeats that fill missed slots. */
  t?: number;
}

export interface FrameWriter {
  /** Writes the batch now if nothing is being written, else it waits behind the batch in the pipe. */
  enqueue(batch: QueuedFrame[]): void;
  /** A batch already waits behind the one being written. */
  readonly full: boolean;
  /** A write in the pipe or waiting to go still reads buf. */
  holds(buf: Buffer): boolean;
}

export type FfmpegInput = Pick<FfmpegProcess, 'writeVideo' | 'writeAudio'>;

/** `onWritten` is called once each frame is all in FFmpeg's pipes. */
export function createFrameWriter(proc: FfmpegInput, onWritten: (frame: QueuedFrame) => void): FrameWriter {
  /** The batch being written (`pos` is the frame in the pipe now), and at most one batch waiting behind it. */
  let current: QueuedFrame[] | null = null;
  let pos = 0;
  let pending: QueuedFrame[] | null = null;

  const refersTo = (frames: QueuedFrame[] | null, from: number, buf: Buffer) => {
    if (frames) for (let i = from; i < frames.length; i++) if (frames[i]!.rgba === buf) return true;
    return false;
  };

  async function drain(first: QueuedFrame[]) {
    current = first;
    try {
      while (current) {
        for (pos = 0; pos < current.length; pos++) {
          const frame = current[pos]!;
          const [v, a] = await Promise.all([proc.writeVideo(frame.rgba), proc.writeAudio(frame.pcm)]);
          if (!v || !a) return;
          try {
            onWritten(frame);
          } catch {
            // An observer must not break the stream.
          }
        }
        current = pending;
        pending = null;
      }
    } finally {
      // FFmpeg is gone if we got here early: what was queued for it is lost with it, never resent.
      current = null;
      pending = null;
    }
  }

  return {
    enqueue(batch) {
      if (current) {
        pending = batch;
        return;
      }
      void drain(batch);
    },
    get full() {
      return pending !== null;
    },
    holds: (buf) => refersTo(current, pos, buf) || refersTo(pending, 0, buf),
  };
}
