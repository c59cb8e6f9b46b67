/**
 * At most one flush per interval, trailing: a burst of changes becomes one broadcast at the end of the
 * window, never one per vote, and the last change is never left unsent.
 */
export class Throttle {
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly intervalMs: number;
  private readonly flush: () => void;
  private readonly now: () => number;

  constructor(intervalMs: number, flush: () => void, now: () => number = Date.now) {
    this.intervalMs = intervalMs;
    this.flush = flush;
    this.now = now;
  }

  /** Something changed: flush now if the window allows, else once when it closes. */
  poke(): void {
    if (this.timer) return;
    const wait = this.lastAt + this.intervalMs - this.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  private run(): void {
    this.timer = null;
    this.lastAt = this.now();
    this.flush();
  }
}
