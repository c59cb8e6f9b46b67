/**
 * The browser source the render node streams from: createBrowserSource (Chromium on its display, the capture) run
 * in a worker thread (browser-worker.ts), behind the same BrowserSource interface.
 *
 * Why a thread: the frame loop's thread is the one whose timing drops frames, and the browser side is work it need
 * not wait for: playwright (~9 MB of JavaScript, a message per request the page makes, the hang probes) and the
 * capture's reads and copies (two 3.7 MB copies a frame at 720p). In a worker they have a heap and an event loop of
 * their own. It was measured when frames came as the DevTools screencast (JSON messages of 50–150 kB, 30 a second):
 * with the young generation kept at 2 MB for the canvas path's memory (build.ts NODE_FLAGS) they set off a full
 * collection about five times a second, 55–65 ms of marking each, and moving the capture to this thread cut the
 * drops from 86–255 to 8–25 a minute (`--max-semi-space-size` is the whole process's: it overrides a worker's
 * `resourceLimits.maxYoungGenerationSizeMb`, measured).
 *
 * Frames cross as buffers moved between the threads (worker-messages.ts): the host keeps the newest and the one it
 * returned last (valid until the next `frame()`, as the canvas renderer's are) and gives every other one back.
 * A worker that dies is started again (paced like a page's restarts); the last frame is held meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { BrowserSource, BrowserSourceOptions, BrowserSourceStats } from './browser-source.ts';
import { framePng } from './frame-png.ts';
import { createRestartPacer } from './restart-pacer.ts';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages.ts';

/** Next to this module: the .ts source under Node or vitest, the bundle's browser-worker.js under dist/ (build.ts). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './browser-worker.ts' : './browser-worker.js', import.meta.url);

/** One the worker fills, one the host shows, one the host holds as the newest. */
const BUFFERS = 3;
/**
 * Past the worker's own close. close() ends a page's opening at once, but not a Chromium still starting: Xvfb's
 * start (5 s), Chromium's launch (openTimeoutMs), its navigation guard and tab watch (3 s each) and its pid (2 s),
 * then closing it (3 s, then a kill) and its display (2 s). At the very worst that runs a few seconds past this
 * bound; the worker is then ended and the Chromium it leaves killed by pid (killOrphan), so close() stays bounded.
 */
const closeTimeoutMs = (openTimeoutMs = 15_000) => openTimeoutMs + 15_000;

export type WorkerBrowserSourceOptions = Omit<BrowserSourceOptions, 'onFrame' | 'now'>;

export interface WorkerBrowserSource extends BrowserSource {
  /** The worker thread running now (tests end it to see the host recover). */
  worker(): Worker;
}

export function createWorkerBrowserSource(o: WorkerBrowserSourceOptions): WorkerBrowserSource {
  const bytes = o.width * o.height * 4;
  // Black until the first frame, as the in-thread source starts.
  const black = Buffer.alloc(bytes);
  for (let i = 3; i < bytes; i += 4) black[i] = 255;
  /** The worker's own figures; `before`, what workers that ended had counted, so the totals never go back. */
  let stats: BrowserSourceStats = { pagesOpened: 0, framesIn: 0, lastFrameAt: null, lastReason: null, browserPid: null };
  const before = { pagesOpened: 0, framesIn: 0 };
  /** When the newest frame came, on this thread's clock (the worker's starts elsewhere). */
  let lastFrameAt: number | null = null;
  /** The newest frame received; `shown`, the one the last frame() returned. */
  let newest: ArrayBuffer | null = null;
  let shown: ArrayBuffer | null = null;
  let closed = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const pacer = createRestartPacer();

  const give = (w: Worker, buffer: ArrayBuffer) => w.postMessage({ type: 'give', buffer } satisfies ToWorker, [buffer]);

  /**
   * After a worker that ended without closing its Chromium (it died, or its close ran past the bound): that
   * Chromium would run on with nobody to drive it, so it is killed. Its pid came from the worker a moment ago.
   */
  const killOrphan = (pid: number | null) => {
    if (pid === null) return;
    try {
      process.kill(pid, 'SIGKILL');
      o.log('browser.orphan-killed', { pid });
    } catch {
      // Gone already.
    }
  };

  type Running = { w: Worker; exited: boolean; closedCleanly: boolean };
  let current: Running;

  const startWorker = (): Running => {
    const start: WorkerStart = {
      url: o.url,
      width: o.width,
      height: o.height,
      fps: o.fps ?? 30,
      launch: o.launch,
      ...(o.hangMs !== undefined ? { hangMs: o.hangMs } : {}),
      ...(o.probeMs !== undefined ? { probeMs: o.probeMs } : {}),
      ...(o.openTimeoutMs !== undefined ? { openTimeoutMs: o.openTimeoutMs } : {}),
      buffers: BUFFERS,
    };
    const w = new Worker(WORKER_URL, { workerData: start });
    const run: Running = { w, exited: false, closedCleanly: false };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'frame') {
        // A newer frame came before the last one was shown: that one goes back unseen.
        if (newest && newest !== shown) give(w, newest);
        newest = m.buffer;
        stats = m.stats;
        lastFrameAt = performance.now();
      } else if (m.type === 'log') {
        stats = m.stats;
        o.log(m.event, m.fields);
      } else {
        run.closedCleanly = true;
        // Its Chromium would not close within the bounds: nobody else will end it.
        killOrphan(m.browserPid);
      }
    });
    w.on('error', (e: unknown) => o.log('browser.worker-failed', { error: e instanceof Error ? e.message : String(e) }));
    w.on('exit', (code) => {
      run.exited = true;
      if (!run.closedCleanly) killOrphan(stats.browserPid);
      before.pagesOpened += stats.pagesOpened;
      before.framesIn += stats.framesIn;
      stats = { ...stats, pagesOpened: 0, framesIn: 0, browserPid: null };
      if (closed) return;
      // Buffers it held are gone with it; the host's stay (the picture holds) and join the new worker's when done.
      newest = shown;
      const delayMs = pacer.next(performance.now());
      o.log('browser.worker-restart', { code, delayMs });
      restartTimer = setTimeout(() => {
        if (!closed) current = startWorker();
      }, delayMs);
    });
    return run;
  };
  current = startWorker();

  const picture = (): Buffer => (shown ? Buffer.from(shown) : black);

  return {
    frame() {
      if (newest && newest !== shown) {
        // The frame loop is done with the one it had (valid until this call): back to the worker to fill again.
        const old = shown;
        shown = newest;
        if (old && !current.exited) give(current.w, old);
      }
      return { rgba: picture() };
    },
    // framePng copies first: the buffer may move back to the worker while the encoder works.
    png: () => framePng(picture(), o.width, o.height),
    stats: () => ({ ...stats, pagesOpened: before.pagesOpened + stats.pagesOpened, framesIn: before.framesIn + stats.framesIn, lastFrameAt }),
    // The page lives in the worker's thread; tests that drive a page use createBrowserSource itself.
    page: () => null,
    worker: () => current.w,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(restartTimer);
      const run = current;
      if (run.exited) return;
      // The worker says when its page and Chromium are closed (or it ends on its own); then it is ended for good.
      const settled = new Promise<void>((resolve) => {
        run.w.once('exit', () => resolve());
        run.w.on('message', (m: FromWorker) => m.type === 'closed' && resolve());
      });
      run.w.postMessage({ type: 'close' } satisfies ToWorker);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([settled.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), closeTimeoutMs(o.openTimeoutMs))))]);
      clearTimeout(timer);
      if (timedOut) o.log('browser.worker-close-timeout', {});
      await run.w.terminate();
    },
  };
}
