/**
 * The render node's CPU priority. A stream is a real-time producer: a slot the frame loop wakes up late for is a
 * dropped frame, and a moment FFmpeg cannot run fills its short input queue. With another process keeping a core
 * busy at the same priority, a 720p30 stream dropped 1.5–4 % of its frames (bench/pipeline.ts with BENCH_BUSY_CORE=1,
 * render-node/README.md, "Benchmarks"); at nice −10 it gets the CPU it needs first and the other process the rest
 * (the weights are about 9:1), which costs that process little, since one 720p30 stream needs about half a core.
 *
 * Set once at start, before any FFmpeg: a child inherits its parent's nice value, so every FFmpeg runs at it too.
 * Lowering one's nice value needs root, CAP_SYS_NICE, or an RLIMIT_NICE of at least 20 − nice (Docker:
 * `ulimits: nice: 30`, as docker-compose.render.yaml sets); without either, the node runs on at its nice value and
 * says so.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value the render node asks for (−20 highest, 0 the default, 19 lowest). */
export const RENDER_NICE = -10;

export interface PriorityOutcome {
  /** The nice value the process runs at now. */
  nice: number;
  /** Why it could not be raised, if it could not (EACCES without the right or the limit). */
  error?: string;
}

/** Raises this process's priority to `nice` (never lowers it); FFmpeg started afterwards inherits it. */
export function raisePriority(nice = RENDER_NICE): PriorityOutcome {
  const now = getPriority();
  if (now <= nice) return { nice: now };
  try {
    setPriority(nice);
    return { nice: getPriority() };
  } catch (err) {
    return { nice: now, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Puts the calling thread back at the default priority (nice 0) if it runs above it, and returns its nice value
 * after. For the browser capture's worker thread (src/browser/browser-worker.ts): it and the Chromium it starts
 * (which inherits the thread's nice value) must not take the CPU from the frame loop and FFmpeg, which run at
 * RENDER_NICE. On a busy machine the page's frames then come less often and the stream repeats the last one, rather
 * than the stream missing its slots. Linux keeps a nice value per thread: the thread is named by its own id, which
 * /proc/thread-self gives. Never fails: where it cannot, the thread keeps the process's priority.
 */
export function lowerThreadPriority(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return null;
    if (getPriority(tid) < 0) setPriority(tid, 0);
    return getPriority(tid);
  } catch {
    return null;
  }
}

