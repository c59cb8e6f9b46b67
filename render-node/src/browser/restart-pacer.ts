/**
 * How soon a page is opened again after it ended. A page that ran a while comes back at once (a crash, a hang, a
 * navigation away: the stream wants the page back within seconds); restarts close together back off, doubling up
 * to MAX_DELAY_MS, so a page that crashes as it loads, or a Chromium that will not start, costs a try every few
 * seconds rather than a busy loop.
 */
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 5_000;
/** A restart this long after the previous one starts the doubling over. */
export const CALM_MS = 30_000;

export function createRestartPacer() {
  let last: number | null = null;
  let streak = 0;
  return {
    /** The delay before the next attempt, for a restart decided at `now` (ms). */
    next(now: number): number {
      streak = last !== null && now - last < CALM_MS ? streak + 1 : 0;
      last = now;
      return streak === 0 ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (streak - 1), MAX_DELAY_MS);
    },
  };
}
