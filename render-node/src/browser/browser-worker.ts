/**
 * The browser source in a thread of its own (worker-browser-source.ts says why): it runs createBrowserSource, and
 * hands each captured page frame to the host in one of a few buffers that travel back and forth (moved between the
 * threads, not copied; the host gives each back when it has a newer one), so the host's thread never gets a new
 * 3.7 MB buffer a frame for its collector to chase.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../encoder/priority.ts';
import { createBrowserSource, type BrowserSource } from './browser-source.ts';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages.ts';

const port = parentPort;
if (!port) throw new Error('browser-worker.ts runs as a worker thread (worker-browser-source.ts starts it)');
const start = workerData as WorkerStart;
// Before Chromium starts, so it inherits the default priority too (priority.ts says why).
const nice = lowerThreadPriority();
const bytes = start.width * start.height * 4;
const free: ArrayBuffer[] = Array.from({ length: start.buffers }, () => new ArrayBuffer(bytes));
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** A captured frame waiting for a free buffer (the host holds them all only for a moment). */
let pending = false;
let source: BrowserSource | null = null;

const handOver = () => {
  if (!source) return;
  const buffer = free.pop();
  if (!buffer) {
    pending = true;
    return;
  }
  pending = false;
  new Uint8Array(buffer).set(source.frame(performance.now()).rgba);
  send({ type: 'frame', buffer, stats: source.stats() }, [buffer]);
};

source = createBrowserSource({
  url: start.url,
  width: start.width,
  height: start.height,
  fps: start.fps,
  launch: start.launch,
  hangMs: start.hangMs,
  probeMs: start.probeMs,
  openTimeoutMs: start.openTimeoutMs,
  // stats() is read after the call that changed them, so each log line carries the figures it speaks of.
  log: (event, fields) => queueMicrotask(() => send({ type: 'log', event, fields: { ...fields, ...(event === 'browser.launched' ? { nice } : {}) }, stats: source!.stats() })),
  onFrame: handOver,
});

port.on('message', (m: ToWorker) => {
  if (m.type === 'give') {
    if (m.buffer.byteLength === bytes) free.push(m.buffer);
    if (pending) handOver();
    return;
  }
  void source!.close().finally(() => {
    send({ type: 'closed', browserPid: source!.stats().browserPid });
    port.close();
  });
});
