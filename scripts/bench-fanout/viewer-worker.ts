/**
 * A viewer thread (node:worker_threads): connects its share of the viewers, tracks which vote counts all of them
 * hold (ReachTracker) and tells the main thread the moment one is complete. Everything per message stays in this
 * thread, so the main thread's timers (vote spacing, timeouts) are not delayed by thousands of JSON.parse calls.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { noTraffic, type FromWorker, type OpenViewer, type ToWorker, type ViewerHandle, type ViewerSink, type WorkerSetup } from './messages.ts';
import { ReachTracker } from './reach-tracker.ts';
import { openSeedViewer } from './seed-viewer.ts';
import { openSfViewer } from './sf-viewer.ts';
import { clock, sleep, within } from './wait.ts';

const CONNECT_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 500;

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const open: OpenViewer = setup.kind === 'sf' ? openSfViewer : openSeedViewer;

const tracker = new ReachTracker(setup.viewers);
let traffic = noTraffic();
let armedAt = performance.eventLoopUtilization();
const reached = (k: number) => post({ type: 'reached', k, at: clock() });

const sink: ViewerSink = {
  state: (i, total) => tracker.update(i, total, reached),
  received(kind, n) {
    if (kind !== 'other') {
      traffic.updates++;
      traffic.updateBytes += n;
      if (kind === 'full') traffic.full++;
    } else {
      traffic.other++;
      traffic.otherBytes += n;
    }
  },
  gap: () => void traffic.gaps++,
  dropped: (_i, reason) => post({ type: 'dropped', reason }),
};

const handles: ViewerHandle[] = [];

async function connectAll(): Promise<void> {
  let next = 0;
  let failed = 0;
  let retried = 0;
  let firstError: string | null = null;
  const lane = async () => {
    while (next < setup.viewers) {
      const i = next++;
      // A refused or reset handshake is tried again, as a browser's client would (partysocket reconnects).
      for (let attempt = 1; ; attempt++) {
        try {
          handles.push(await open(setup.url, i, sink, setup.connectTimeoutMs));
          break;
        } catch (e) {
          if (attempt < CONNECT_ATTEMPTS) {
            retried++;
            await sleep(RETRY_PAUSE_MS * attempt);
            continue;
          }
          failed++;
          firstError ??= e instanceof Error ? e.message : String(e);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(setup.concurrency, setup.viewers) }, lane));
  post({ type: 'connected', ok: handles.length, failed, retried, firstError });
}

async function closeAll(): Promise<void> {
  await within(Promise.all(handles.map((h) => h.close())), 15_000, 'viewers to close').catch(() => {});
  post({ type: 'closed' });
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'arm':
      traffic = noTraffic();
      armedAt = performance.eventLoopUtilization();
      tracker.arm(m.base, m.votes);
      break;
    case 'sample': {
      const { min, max } = tracker.range();
      post({ type: 'sample', withState: tracker.withState, min, max, traffic, busy: performance.eventLoopUtilization(armedAt).utilization });
      break;
    }
    case 'close':
      void closeAll();
      break;
  }
});

void connectAll();
