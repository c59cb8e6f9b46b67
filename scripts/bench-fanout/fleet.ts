/**
 * The viewers of one measurement, held by viewer threads (viewer-worker.ts): started and connected, checked to hold
 * one same state, armed, asked when a vote count is held by every viewer, and closed. A viewer the server drops
 * fails the measurement at once (a vote it can never see would otherwise just time out).
 */
import { Worker } from 'node:worker_threads';
import { noTraffic, type FromWorker, type ToWorker, type Traffic, type ViewerKind, type WorkerSetup } from './messages.ts';
import { sleep, TimeoutError, within } from './wait.ts';

export interface FleetOptions {
  kind: ViewerKind;
  url: string;
  viewers: number;
  threads: number;
  concurrency: number;
  connectTimeoutMs: number;
  signal: AbortSignal;
}

type Sample = Extract<FromWorker, { type: 'sample' }>;

export class Fleet {
  private readonly workers: Worker[];
  private readonly reached = new Map<number, { count: number; at: number }>();
  private readonly waiters = new Map<number, (at: number) => void>();
  private readonly samples = new Map<Worker, (s: Sample) => void>();
  private readonly closed = new Map<Worker, () => void>();
  private failure: Error | null = null;
  /** Connection attempts that failed and were tried again (a viewer failing all of its attempts fails the start). */
  retried = 0;
  private readonly onFailure = new Set<(e: Error) => void>();

  private readonly viewers: number;

  private constructor(workers: Worker[], viewers: number) {
    this.workers = workers;
    this.viewers = viewers;
  }

  /** Starts the threads and resolves once every viewer is connected (or fails, closing what it started). */
  static async start(o: FleetOptions): Promise<Fleet> {
    const threads = Math.max(1, Math.min(o.threads, o.viewers));
    const workers = Array.from({ length: threads }, (_, t) => {
      const share = Math.floor(o.viewers / threads) + (t < o.viewers % threads ? 1 : 0);
      const workerData: WorkerSetup = { kind: o.kind, url: o.url, viewers: share, concurrency: o.concurrency, connectTimeoutMs: Math.min(o.connectTimeoutMs, 30_000) };
      return new Worker(new URL('./viewer-worker.ts', import.meta.url), { workerData });
    });
    const fleet = new Fleet(workers, o.viewers);
    const connected = workers.map((w) => new Promise<Extract<FromWorker, { type: 'connected' }>>((resolve) => fleet.listen(w, resolve)));
    try {
      const results = await within(Promise.all(connected), o.connectTimeoutMs, `${o.viewers} viewers to connect`, o.signal);
      const failed = results.reduce((a, r) => a + r.failed, 0);
      if (failed > 0) throw new Error(`${failed} of ${o.viewers} viewers could not connect (first: ${results.find((r) => r.firstError)?.firstError})`);
      if (fleet.failure) throw fleet.failure;
      fleet.retried = results.reduce((a, r) => a + r.retried, 0);
      return fleet;
    } catch (e) {
      await fleet.close();
      throw e;
    }
  }

  private listen(w: Worker, onConnected: (m: Extract<FromWorker, { type: 'connected' }>) => void): void {
    w.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'connected':
          return onConnected(m);
        case 'sample':
          return this.samples.get(w)?.(m);
        case 'reached': {
          const r = this.reached.get(m.k) ?? { count: 0, at: 0 };
          r.count++;
          r.at = Math.max(r.at, m.at);
          this.reached.set(m.k, r);
          if (r.count === this.workers.length) this.waiters.get(m.k)?.(r.at);
          return;
        }
        case 'dropped':
          return this.fail(new Error(m.reason));
        case 'closed':
          return this.closed.get(w)?.();
      }
    });
    w.on('error', (e) => this.fail(new Error(`a viewer thread failed: ${e.message}`)));
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const f of this.onFailure) f(e);
  }

  private ask(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  private async sample(): Promise<Sample[]> {
    const answers = this.workers.map((w) => new Promise<Sample>((resolve) => this.samples.set(w, resolve)));
    this.ask({ type: 'sample' });
    return within(Promise.all(answers), 10_000, 'the viewer threads to answer a sample');
  }

  /** Waits until every viewer holds a state, all with the same vote total, and returns that total. */
  async settle(timeoutMs: number, signal: AbortSignal): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.failure) throw this.failure;
      const s = await this.sample();
      const holding = s.reduce((a, x) => a + x.withState, 0);
      const min = Math.min(...s.map((x) => x.min));
      const max = Math.max(...s.map((x) => x.max));
      if (holding === this.viewers && min === max) return min;
      last = `${holding} of ${this.viewers} viewers hold a state, vote totals ${min}..${max}`;
      await sleep(250, signal);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for every viewer to hold the same state (${last})`);
  }

  /** Reset the traffic counters and report the vote counts base+1 .. base+votes from now on. */
  arm(base: number, votes: number): void {
    this.reached.clear();
    this.ask({ type: 'arm', base, votes });
  }

  /** When every viewer held a state counting `k` votes (clock()), or null after `timeoutMs`. Rejects on a drop. */
  reach(k: number, timeoutMs: number, signal: AbortSignal): Promise<number | null> {
    const done = this.reached.get(k);
    if (done && done.count === this.workers.length) return Promise.resolve(done.at);
    let onFailure: (e: Error) => void = () => {};
    const seen = new Promise<number>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiters.set(k, resolve);
      onFailure = reject;
      this.onFailure.add(onFailure);
    });
    return within(seen, timeoutMs, `every viewer to hold vote count ${k}`, signal)
      .catch((e: unknown) => {
        if (e instanceof TimeoutError) return null;
        throw e;
      })
      .finally(() => {
        this.waiters.delete(k);
        this.onFailure.delete(onFailure);
      });
  }

  /** What the viewers received since arm(), summed over the threads, and the busiest thread's utilisation. */
  async readout(): Promise<{ traffic: Traffic; harnessBusy: number }> {
    const t = noTraffic();
    const samples = await this.sample();
    for (const s of samples) for (const key of Object.keys(t) as (keyof Traffic)[]) t[key] += s.traffic[key];
    return { traffic: t, harnessBusy: Math.max(...samples.map((s) => s.busy)) };
  }

  /** Closes every viewer (a close handshake, bounded) and ends the threads. Safe to call more than once. */
  async close(): Promise<void> {
    const done = this.workers.map((w) => new Promise<void>((resolve) => this.closed.set(w, resolve)));
    this.ask({ type: 'close' });
    await within(Promise.all(done), 20_000, 'the viewer threads to close their viewers').catch(() => {});
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
