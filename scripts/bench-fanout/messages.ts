/** What the main thread and the viewer threads say to each other (structured-clone messages over node:worker_threads). */

export type ViewerKind = 'sf' | 'seed';

/** A viewer thread's job, as its workerData. */
export interface WorkerSetup {
  kind: ViewerKind;
  url: string;
  viewers: number;
  concurrency: number;
  connectTimeoutMs: number;
}

/** Messages a viewer received since the thread was armed: state-bearing updates, and the rest. */
export interface Traffic {
  updates: number;
  /** Of the updates, those that carried the whole state (a snapshot; every heartbeat of the seed's tier). */
  full: number;
  updateBytes: number;
  other: number;
  otherBytes: number;
  /** Deltas that did not apply on the state held (a resync was asked for). */
  gaps: number;
}

export const noTraffic = (): Traffic => ({ updates: 0, full: 0, updateBytes: 0, other: 0, otherBytes: 0, gaps: 0 });

export type ToWorker = { type: 'arm'; base: number; votes: number } | { type: 'sample' } | { type: 'close' };

export type FromWorker =
  /** `retried`: connection attempts that failed and were tried again. */
  | { type: 'connected'; ok: number; failed: number; retried: number; firstError: string | null }
  /** `busy`: the thread's event-loop utilisation since arm (0..1): near 1, the harness itself is the bottleneck. */
  | { type: 'sample'; withState: number; min: number; max: number; traffic: Traffic; busy: number }
  /** Every viewer of the thread holds a state counting at least `k` votes, since `at` (clock()). */
  | { type: 'reached'; k: number; at: number }
  | { type: 'dropped'; reason: string }
  | { type: 'closed' };

/** How a viewer hands what it received to its thread: kept to a call or two per message. */
export interface ViewerSink {
  /** Viewer `i` now holds a state counting `total` votes. */
  state(i: number, total: number): void;
  /** A message of `n` bytes arrived: a whole state, a delta, or anything else. */
  received(kind: 'full' | 'delta' | 'other', n: number): void;
  gap(): void;
  dropped(i: number, reason: string): void;
}

export interface ViewerHandle {
  /** Close the connection (not a drop); resolves when it is closed. */
  close(): Promise<void>;
}

/** Opens one viewer; resolves once connected, rejects when it cannot connect within `timeoutMs`. */
export type OpenViewer = (url: string, i: number, sink: ViewerSink, timeoutMs: number) => Promise<ViewerHandle>;
