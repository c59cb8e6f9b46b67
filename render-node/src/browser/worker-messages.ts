/**
 * What the browser worker (browser-worker.ts) and its host (worker-browser-source.ts) say to each other. Both ends
 * are this package's own code in one process, so the types are the contract: no parsing, nothing from outside.
 */
import type { BrowserSourceStats } from './browser-source.ts';
import type { ChromiumLaunch } from './chromium.ts';

/** The worker's start: what createBrowserSource takes, less the callbacks (which cannot cross a thread). */
export interface WorkerStart {
  url: string;
  width: number;
  height: number;
  fps: number;
  launch: ChromiumLaunch;
  hangMs?: number;
  probeMs?: number;
  openTimeoutMs?: number;
  /** Frame buffers the worker fills and hands over; each comes back once the host is done with it. */
  buffers: number;
}

export type ToWorker =
  /** A frame buffer the host no longer needs, for the worker to fill again. */
  | { type: 'give'; buffer: ArrayBuffer }
  | { type: 'close' };

export type FromWorker =
  /** The newest page frame, RGBA at the stream's size, in a buffer that now belongs to the host. */
  | { type: 'frame'; buffer: ArrayBuffer; stats: BrowserSourceStats }
  | { type: 'log'; event: string; fields?: Record<string, unknown>; stats: BrowserSourceStats }
  /** The page and Chromium are closed; `browserPid` is a Chromium that would not close (null: none left). */
  | { type: 'closed'; browserPid: number | null };
