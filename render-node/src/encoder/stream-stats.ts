/**
 * A stream's figures: counted by the frame loop (drops, writes, fps) and the supervisor (state, error, restarts),
 * reported as core's `StreamStatus`, the shape the render node sends the room.
 */
import type { StreamStatus } from '@stream-fighter/core';

export type StreamState = StreamStatus['state'];

/** core's `StreamStatus` refuses longer errors. */
export const MAX_ERROR_LEN = 300;

export interface StreamCounters {
  state: StreamState;
  error: string | undefined;
  restarts: number;
  droppedFrames: number;
  /** Frames FFmpeg has taken, across sessions, repeats included. */
  written: number;
  /** Frames written per second over the last window (createFpsWindow). */
  fps: number;
}

export const createCounters = (): StreamCounters => ({ state: 'starting', error: undefined, restarts: 0, droppedFrames: 0, written: 0, fps: 0 });

export function setError(c: StreamCounters, message: string): void {
  c.error = message.slice(0, MAX_ERROR_LEN);
}

/** What the running FFmpeg session adds: FFmpeg's own speed, and since when it has been live (ms, monotonic). */
export interface SessionFigures {
  speed: number;
  liveAt: number | null;
}

/** Rates and uptime are only reported while live; between sessions they would describe an FFmpeg that is gone. */
export function streamStatus(streamKey: string, c: StreamCounters, session: SessionFigures | null, now: number): StreamStatus {
  const live = c.state === 'live';
  return {
    streamKey,
    state: c.state,
    fps: live ? Math.round(c.fps * 10) / 10 : 0,
    speed: live ? (session?.speed ?? 0) : 0,
    droppedFrames: c.droppedFrames,
    restarts: c.restarts,
    uptimeSec: live && session?.liveAt != null ? Math.floor((now - session.liveAt) / 1000) : 0,
    ...(c.error !== undefined ? { error: c.error } : {}),
  };
}

/** Frames written per second, measured over windows of at least a second. */
export interface FpsWindow {
  /** The rate since the window opened once it spans a second (and a new window opens at t), else undefined. */
  close(t: number, written: number): number | undefined;
}

export function createFpsWindow(start: number, written: number): FpsWindow {
  let windowStart = start;
  let windowWritten = written;
  return {
    close(t, nowWritten) {
      if (t - windowStart < 1000) return undefined;
      const rate = ((nowWritten - windowWritten) * 1000) / (t - windowStart);
      windowStart = t;
      windowWritten = nowWritten;
      return rate;
    },
  };
}
