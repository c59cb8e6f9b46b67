/**
 * Frame slots from a monotonic clock: slot k is due at start + k/fps. `next()` waits for the next slot that
 * is due and reports how many slots were missed on the way (the caller counts them as dropped; they are
 * never made up later, so a slow moment cannot build a queue).
 *
 * Every `next()` returns through a macrotask, even when the slot is already overdue. @napi-rs/canvas frees
 * native pixel buffers only when the event loop turns; a render loop that never yields grew by gigabytes.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';

export interface Slot {
  index: number;
  /** Slots skipped since the previous one returned. */
  missed: number;
  /** The slot's due time as epoch milliseconds (monotonic underneath, so immune to wall-clock steps). */
  t: number;
}

export interface Pacer {
  next(): Promise<Slot>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
  yield(): Promise<unknown>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => sleep(ms),
  yield: () => yieldToLoop(),
};

export function createPacer(fps: number, clock: Clock = realClock): Pacer {
  const period = 1000 / fps;
  const start = clock.now();
  const epochOffset = performance.timeOrigin;
  let last = -1;
  return {
    async next() {
      for (;;) {
        const due = Math.floor((clock.now() - start) / period);
        if (due > last) {
          const missed = due - last - 1;
          last = due;
          await clock.yield();
          return { index: due, missed, t: epochOffset + start + due * period };
        }
        await clock.sleep(Math.max(1, start + (last + 1) * period - clock.now()));
      }
    },
  };
}
