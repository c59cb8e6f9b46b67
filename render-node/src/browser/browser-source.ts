/**
 * A frame source backed by Chromium: a page at the stream's size on a virtual display of its own (xvfb.ts), handed
 * to the encoder as RGBA frames through the same `frame(t)` the canvas path uses (so the same frame loop, FFmpeg
 * arguments, audio, supervisor and restarts apply). The frame loop keeps its own cadence: the display is read at the
 * stream's rate while a page is up; between pages the last frame is held, so the stream never goes black.
 *
 * Capture method, measured on the shared 2-core VM (2026-12-07, 18:00 UTC, a busy hour: the canvas bench took twice
 * its quiet-hour CPU), the site's /scene at 1280×720 fed the bench's fight (bench/proto runs of 30 s; CPU of
 * Chromium's processes, Xvfb's and Node's from /proc):
 *
 * | method                                                   | frames/s | Chromium (+ Xvfb) cores | Node cores |
 * |----------------------------------------------------------|----------|-------------------------|------------|
 * | Page.startScreencast JPEG q80 (headless), frames decoded  | 15–28    | 0.86–0.92               | +0.45 ¹    |
 * | the same, `--disable-gpu`                                | 15       | 0.90                    |            |
 * | chromium-headless-shell, screencast                      | 12       | 0.84                    |            |
 * | Xvfb screen file read at 30 fps (headful Chromium)       | 30 ²     | 0.34                    | 0.03 ³     |
 *
 * ¹ base64, JSON and JPEG decoding of every frame, and the collections they set off (the quiet-hour bench: Node 0.60
 *   of a core against the canvas path's 0.16). ² 842 of 899 reads found new pixels where the page moves. ³ a read
 *   is a 3.7 MB copy from the mapped screen: 0.84 ms median, 1.2 ms p95.
 *
 * So the page is drawn on a virtual display and read from Xvfb's screen file: in headless mode every frame is read
 * back from the compositor and encoded as JPEG in Chromium, then decoded here; on a display Chromium composites
 * into shared memory and the frame is a copy. (FFmpeg's x11grab would read the same screen, but as a second FFmpeg
 * input unlike the canvas path's; reading it here keeps one encoder for both.) Earlier, from the screencast's side:
 * PNG frames collapse on gradients (765 kB, 21 fps), screenshots in a loop reach 15 fps, and
 * `HeadlessExperimental.beginFrame` is only in the headless shell.
 *
 * Recovery (one loop, `run`): a renderer crash, a page that answers no probe for `hangMs`, a navigation to another
 * origin and a Chromium that exits all end the page; a new one is opened (a new browser context, or a new browser
 * and display when the old one is gone or will not close) and the last frame is held meanwhile: the display is
 * read only while a page is up and has drawn at the stream's size.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ChromiumLaunch } from './chromium.ts';
import { framePng } from './frame-png.ts';
import { createRestartPacer } from './restart-pacer.ts';
import { RGBA_OFFSET, startXvfb, xvfbBufferBytes, type Xvfb } from './xvfb.ts';

export interface BrowserSourceOptions {
  url: string;
  width: number;
  height: number;
  /** The stream's frames a second (30 by default): the capture takes no more than these. */
  fps?: number;
  launch: ChromiumLaunch;
  log: (event: string, fields?: Record<string, unknown>) => void;
  /** A new page frame was captured (the worker host sends each one on at once: worker-browser-source.ts). */
  onFrame?: () => void;
  /** A page that answers no probe for this long is hung and replaced. */
  hangMs?: number;
  /** How often the page is probed. */
  probeMs?: number;
  /** Bound on opening the page (launch, context, first navigation). */
  openTimeoutMs?: number;
  now?: () => number;
}

export interface BrowserSourceStats {
  /** Pages opened (the first, then one per recovery). */
  pagesOpened: number;
  /** Frames captured from the page's display (at the stream's rate while a page is up). */
  framesIn: number;
  /** `now()` of the last frame captured, null before the first. */
  lastFrameAt: number | null;
  /** Why the last page was replaced. */
  lastReason: string | null;
  /** Chromium's browser process, while one runs (null if it could not be told): what a host kills if this dies (its
   * display, Xvfb, then ends by itself: xvfb.ts). */
  browserPid: number | null;
}

export interface BrowserSource {
  /** The newest frame: RGBA at the stream's size (alpha 0: the encoder ignores it), valid until the next call. */
  frame(t: number): { rgba: Buffer };
  png(): Promise<Buffer>;
  stats(): BrowserSourceStats;
  /** The page on stream now, if one is open (tests drive it). */
  page(): Page | null;
  close(): Promise<void>;
}

/** Closing a context or a browser is bounded: past this, the browser is killed. */
const CLOSE_TIMEOUT_MS = 3_000;

export function createBrowserSource(o: BrowserSourceOptions): BrowserSource {
  const now = o.now ?? (() => performance.now());
  const hangMs = o.hangMs ?? 2_000;
  const probeMs = o.probeMs ?? 500;
  const openTimeoutMs = o.openTimeoutMs ?? 15_000;
  /** One stream frame's share of a second: the capture's pace. */
  const periodMs = 1000 / (o.fps ?? 30);
  const target = new URL(o.url);
  const bytes = o.width * o.height * 4;
  /** The newest frame, RGBA from RGBA_OFFSET (xvfb.ts says why); black until the first. */
  const screen = Buffer.alloc(xvfbBufferBytes(o.width, o.height));
  const picture = screen.subarray(RGBA_OFFSET, RGBA_OFFSET + bytes);
  const stats: BrowserSourceStats = { pagesOpened: 0, framesIn: 0, lastFrameAt: null, lastReason: null, browserPid: null };
  const pacer = createRestartPacer();

  /** A Chromium on a display of its own: one full-screen window (kiosk mode) whose tabs are the pages. */
  interface Session {
    context: BrowserContext;
    display: Xvfb;
    /** Chromium's profile for this launch, removed with it. */
    dataDir: string;
  }
  let closed = false;
  let session: Session | null = null;
  let current: Page | null = null;
  /** The display read each frame: set once the page is up and drawn at the stream's size, cleared as it ends. */
  let live: Xvfb | null = null;
  /** Ends the page's wait in `run`; set per page. */
  let endPage: (reason: string) => void = () => {};
  let wake: () => void = () => {};

  /** Once a session's Chromium is gone: its display and profile go too (Xvfb ends by itself too: xvfb.ts). */
  const cleanUp = (s: Session) => {
    if (live === s.display) live = null;
    void s.display.stop();
    removeProfile(s.dataDir);
  };

  /** Closes a session's Chromium (bounded; one that will not close is ended with its display), then the rest. */
  const endSession = async (s: Session) => {
    if (session === s) session = null;
    if (live === s.display) live = null;
    if (!(await bounded(s.context.close(), CLOSE_TIMEOUT_MS))) o.log('browser.close-timeout', {});
    await s.display.stop();
    cleanUp(s);
  };

  const launch = async (): Promise<Session> => {
    const { chromium } = await loadPlaywright();
    const display = await startXvfb({ width: o.width, height: o.height });
    const dataDir = mkdtempSync(join(tmpdir(), 'sf-chromium-'));
    let context: BrowserContext;
    try {
      // A persistent context, because only the window Chromium opens at its start follows `--kiosk` (displayArgs).
      context = await chromium.launchPersistentContext(dataDir, {
        executablePath: o.launch.executablePath,
        args: [...o.launch.args, ...displayArgs(o.width, o.height)],
        headless: false,
        // No viewport of playwright's: the page is the window, and the window is the whole screen.
        viewport: null,
        env: { ...process.env, DISPLAY: display.display, WAYLAND_DISPLAY: '' },
        timeout: openTimeoutMs,
      });
    } catch (e) {
      await display.stop();
      removeProfile(dataDir);
      throw e;
    }
    const s: Session = { context, display, dataDir };
    let pid: number | null = null;
    context.on('close', () => {
      cleanUp(s);
      if (stats.browserPid === pid) stats.browserPid = null;
      // A session already ended (endSession) is no longer `session`: its end is not the page's.
      if (session !== s) return;
      session = null;
      endPage('browser-exit');
    });
    // Navigations (the page's, its frames', a script setting location) go only to the page's own origin: refused
    // before Chromium sends them, so no page from elsewhere is ever loaded; a redirect elsewhere ends the page.
    await context.route('**/*', (route) => {
      const req = route.request();
      return req.isNavigationRequest() && !sameOrigin(req.url(), target.origin) ? route.abort('blockedbyclient') : route.continue();
    });
    const b = context.browser();
    pid = b ? await browserPid(b) : null;
    stats.browserPid = pid;
    o.log('browser.launched', { version: b?.version() ?? null, pid, display: display.display });
    return s;
  };

  /**
   * Opens the page in a new tab of the session's window (shown at once: the window shows its newest tab), closes
   * every other tab (the window's first, empty one; the page this one replaces), and resolves with why it ended.
   */
  const runPage = async (s: Session): Promise<string> => {
    // close() came while Chromium was starting: open nothing more.
    if (closed) return 'closed';
    let over = false;
    const ended = new Promise<string>((resolve) => {
      endPage = (reason) => {
        // From this moment the display may no longer show the page (a crashed tab, a new tab): the frame holds.
        over = true;
        live = null;
        resolve(reason);
      };
    });
    const page = await s.context.newPage();
    current = page;
    stats.pagesOpened++;
    page.on('crash', () => endPage('crash'));
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) return;
      let origin = '';
      try {
        origin = new URL(f.url()).origin;
      } catch {
        // about:blank and the like have no origin: away.
      }
      // Within the page's own origin it may route as it likes (its own links, a redirect to a login it serves).
      if (origin !== target.origin) endPage(`navigated-away`);
    });
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.redirectedFrom() && !sameOrigin(req.url(), target.origin)) endPage('navigated-away');
    });
    for (const other of s.context.pages()) {
      // A tab that will not close (its renderer stuck) fails the open: the run loop then ends the whole browser.
      if (other !== page && !(await bounded(other.close(), CLOSE_TIMEOUT_MS))) throw new Error('an earlier tab would not close');
    }
    await page.goto(target.href, { waitUntil: 'domcontentloaded', timeout: openTimeoutMs });
    // Read the display only once the window is at the screen's size and the page has drawn twice since: before that
    // the display shows a window being set up (or, for a new browser, nothing), and the last frame holds instead.
    // (The window covers the frame at least: xvfb.ts says why the screen is a pixel larger.)
    await page.waitForFunction(([w, h]) => innerWidth >= w && innerHeight >= h, [o.width, o.height] as const, { timeout: openTimeoutMs, polling: 50 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    if (!over) live = s.display;
    o.log('browser.page-open', { url: target.origin + target.pathname, pagesOpened: stats.pagesOpened });
    const stopProbes = probe(await s.context.newCDPSession(page), endPage);
    try {
      return await ended;
    } finally {
      stopProbes();
    }
  };

  /**
   * Asks the page's main thread for a trivial answer every probeMs; one unanswered for hangMs is a hang (a page
   * stuck in a loop still composites, so frames alone would not tell). An error is an answer (a probe that lands while the
   * page navigates within its origin has no context to run in), but errors for hangMs on end mean the session is
   * gone and the page with it.
   */
  const probe = (cdp: CDPSession, end: (reason: string) => void) => {
    let outstandingSince: number | null = null;
    let failingSince: number | null = null;
    const timer = setInterval(() => {
      if (outstandingSince !== null) {
        if (now() - outstandingSince >= hangMs) end('hang');
        return;
      }
      outstandingSince = now();
      cdp.send('Runtime.evaluate', { expression: '0', returnByValue: true }).then(
        () => {
          outstandingSince = null;
          failingSince = null;
        },
        () => {
          outstandingSince = null;
          failingSince ??= now();
          if (now() - failingSince >= hangMs) end('probe-failed');
        },
      );
    }, probeMs);
    return () => clearInterval(timer);
  };

  /** Reads the display at the stream's rate while a page is up (`live`); a frame that is due is read once. */
  let captureTimer: NodeJS.Timeout | undefined;
  let nextDue = now();
  const capture = () => {
    if (closed) return;
    if (live && !live.exited) {
      live.read(screen);
      stats.framesIn++;
      stats.lastFrameAt = now();
      o.onFrame?.();
    }
    const t = now();
    // One period after the last due time, or after now when the timer fell more than a period behind.
    nextDue = t - nextDue > periodMs ? t + periodMs : nextDue + periodMs;
    captureTimer = setTimeout(capture, Math.max(0, nextDue - t));
  };
  capture();

  const run = async () => {
    while (!closed) {
      let reason: string;
      try {
        session ??= await launch();
        reason = await runPage(session);
      } catch (e) {
        reason = `open-failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        // Whatever failed, the next try starts from a new Chromium.
        if (session) await endSession(session);
      }
      if (closed) break;
      stats.lastReason = reason;
      const delayMs = pacer.next(now());
      o.log('browser.page-restart', { reason, delayMs, pagesOpened: stats.pagesOpened });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const running = run();

  return {
    frame: () => ({ rgba: picture }),
    png: () => framePng(picture, o.width, o.height),
    stats: () => ({ ...stats }),
    page: () => current,
    async close() {
      closed = true;
      clearTimeout(captureTimer);
      endPage('closed');
      wake();
      await running;
      current = null;
      if (session) await endSession(session);
    },
  };
}

/**
 * playwright-core is loaded the first time a page is opened, not with the render node: a node that only draws the
 * canvas never pays for its ~9 MB of JavaScript. The specifier is a variable so that build.ts's bundler leaves the
 * import to Node at run time (bundled, playwright-core breaks: it reads its own files next to its modules).
 */
const PLAYWRIGHT = 'playwright-core';
let playwright: Promise<typeof import('playwright-core')> | null = null;
const loadPlaywright = () => (playwright ??= import(PLAYWRIGHT) as Promise<typeof import('playwright-core')>);

/** The browser process's id, as Chromium lists its processes; null if it does not say within a moment. */
async function browserPid(b: Browser): Promise<number | null> {
  const ask = async () => {
    const cdp = await b.newBrowserCDPSession();
    try {
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
      return processInfo.find((p) => p.type === 'browser')?.id ?? null;
    } finally {
      await cdp.detach().catch(() => {});
    }
  };
  let pid: number | null = null;
  await bounded(ask().then((p) => (pid = p), () => {}), 2_000);
  return pid;
}

/**
 * Chromium on its display: X11 whatever the session around it says; software compositing (the VM and most
 * containers have no GPU, and a failed GPU start costs a process and seconds); one CSS pixel per screen pixel; and
 * `--kiosk`: the window full screen without tabs or address bar, and without the "press Esc to exit full screen"
 * notice that going full screen later (as F11) shows over the page for 4 s (measured).
 */
export function displayArgs(width: number, height: number): string[] {
  return ['--ozone-platform=x11', '--disable-gpu', '--force-device-scale-factor=1', '--window-position=0,0', `--window-size=${width},${height}`, '--kiosk'];
}

/** Removes a Chromium profile; its last processes may still be writing as they exit, hence the retries. */
function removeProfile(dir: string): void {
  rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => {
    // Left in the temporary directory: a few kB, and nothing there is secret.
  });
}

/** True if `p` settled (either way) within `ms`. */
async function bounded(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
