/**
 * Inside one viewer thread: which vote counts every viewer of the thread now holds. Each viewer's latest total is
 * kept; once armed with the run's base total, a viewer moving from total a to b counts once towards every vote count
 * in (a, b], and the count that reaches the number of viewers is complete. O(1) per message in the usual case (one
 * vote per update), so the tracking costs next to nothing beside the JSON.parse.
 */
export class ReachTracker {
  private readonly totals: Float64Array;
  private holding = 0;
  private base = 0;
  private counts: Int32Array | null = null;
  readonly viewers: number;

  constructor(viewers: number) {
    this.viewers = viewers;
    this.totals = new Float64Array(viewers).fill(-1);
  }

  /** Viewers that hold some state. */
  get withState(): number {
    return this.holding;
  }

  /** The smallest and largest total held (of viewers with a state). */
  range(): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    for (const t of this.totals) if (t >= 0) (min = Math.min(min, t)), (max = Math.max(max, t));
    return { min, max };
  }

  /** From now on, report the vote counts base+1 .. base+votes as viewers reach them. */
  arm(base: number, votes: number): void {
    this.base = base;
    this.counts = new Int32Array(votes + 1);
    // Viewers already past the base (a vote that raced the arming) count at once.
    for (const t of this.totals) if (t > base) this.credit(base, t, () => {});
  }

  /** Viewer `i` now holds `total`; calls `complete(k)` for each vote count every viewer now holds. */
  update(i: number, total: number, complete: (k: number) => void): void {
    const before = this.totals[i]!;
    if (total <= before) return;
    if (before < 0) this.holding++;
    this.totals[i] = total;
    if (this.counts) this.credit(Math.max(before, this.base), total, complete);
  }

  private credit(from: number, to: number, complete: (k: number) => void): void {
    const counts = this.counts!;
    const last = Math.min(to, this.base + counts.length - 1);
    for (let k = Math.max(from, this.base) + 1; k <= last; k++) {
      const slot = k - this.base;
      counts[slot] = counts[slot]! + 1;
      if (counts[slot] === this.viewers) complete(k);
    }
  }
}
