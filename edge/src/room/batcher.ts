/**
 * Natural batching: the first item starts a batch at once; items that arrive while a batch is being processed
 * wait and all go together in the next one. An idle room answers a lone vote with no added delay, and a busy
 * one pays its per-batch costs (a Redis round trip, a state write) once per batch instead of once per vote.
 */
export class Batcher<I, O> {
  private pending: Array<{ item: I; resolve: (out: O) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  /** `run` answers each item in order. `maxBatch` bounds one batch (an Upstash pipeline takes up to 1,000 commands). */
  private readonly run: (items: I[]) => Promise<O[]>;
  private readonly maxBatch: number;
  private readonly minGapMs: number;
  private lastStart = 0;

  /**
   * `minGapMs` spaces the starts of batches: a busy caller's items gather for at least that long between two
   * batches, so whoever each batch calls gets at most 1000 / minGapMs of them a second (0: no spacing).
   */
  constructor(run: (items: I[]) => Promise<O[]>, maxBatch = 200, minGapMs = 0) {
    this.run = run;
    this.maxBatch = maxBatch;
    this.minGapMs = minGapMs;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Items waiting for the next batch (not counting the one in flight). */
  get waiting(): number {
    return this.pending.length;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Items submitted in the same turn as the first one join its batch.
      await Promise.resolve();
      while (this.pending.length > 0) {
        const wait = this.lastStart + this.minGapMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.lastStart = Date.now();
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const out = await this.run(batch.map((b) => b.item));
          if (out.length !== batch.length) throw new Error(`batch answered ${out.length} of ${batch.length} items`);
          batch.forEach((b, i) => b.resolve(out[i]!));
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
