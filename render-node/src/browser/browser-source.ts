/**
 * A frame source backed by Chromium: a page at the stream's size, captured with the DevTools screencast, handed to
 * the encoder as RGBA frames through the same `frame(t)` the canvas path uses (so the same frame loop, FFmpeg
 * arguments, audio, supervisor and restarts apply). The frame loop keeps its own cadence: when no new frame came
 * since the last slot, it gets the last one again, so the stream holds the picture and never goes black.
 *
 * Capture method, measured on the shared 2-core VM (2026-12-07, load 4.6–6.5, a 1280×720 page animating 40
 * boxes at 60 Hz, 10–15 s each, Chromium 156 from Debian, CPU of Chromium's processes and Node from /proc; "decode
 * ms" is JPEG/PNG to RGBA on the main thread in that measurement; frame-decoder.ts now decodes off it):
 *
 * | method                                         | fps  | Chromium cores | Node cores | decode ms | kB/frame |
 * |------------------------------------------------|------|----------------|------------|-----------|----------|
 * | Page.startScreencast JPEG q80, everyNthFrame 2 | 27.7 | 0.69           | 0.35       | 11.0      | 21       |
 * |   same, a full-frame CSS gradient behind       | 29.4 | 0.80           | 0.36       | 11.7      | 22       |
 * | Page.startScreencast PNG, everyNthFrame 2      | 29.6 | 0.67           | 0.29       | 6.3       | 24       |
 * |   same, a full-frame CSS gradient behind       | 20.9 | 1.12           | 0.34       | 20.2      | 765      |
 * | Page.startScreencast JPEG, everyNthFrame 1     | 44.3 | 0.77           | 0.47       | 12.1      | 20       |
 * | Page.captureScreenshot JPEG in a loop          | 15.0 | 0.46           | 0.19       | 11.3      | 21       |
 * | HeadlessExperimental.beginFrame                | —    | not in this Chromium (new headless; only chrome-headless-shell has it) |
 *
 * So: the screencast in JPEG. Chromium composites at 60 Hz and sends a new screencast frame only as earlier ones are
 * acknowledged (a couple may be in flight), so the source paces its acknowledgements to the stream's rate (`nextDue` in runPage) rather than
 * asking for every second compositor frame: a page that draws at 60 Hz is then captured at 30, and one that draws at
 * 30 (the site's /scene) has every frame captured, where every second frame would have kept 15 (measured: 28–30 a
 * second from /scene). PNG is cheaper only on flat pages and collapses on gradients and photos; screenshots in a loop reach half
 * the rate; a virtual display with FFmpeg's x11grab would need Xvfb (not in the image) and a different FFmpeg input
 * than the canvas path's, so it would not share its arguments, audio timing and supervisor. JPEG at q80 is softer
 * than the page, but x264 at 3 Mb/s loses more.
 *
 * Recovery (one loop, `run`): a renderer crash, a page that answers no probe for `hangMs`, a navigation to another
 * origin and a Chromium that exits all end the page; a new one is opened (a new browser context, or a new browser
 * when the old one is gone or will not close) and the last frame is held meanwhile.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ChromiumLaunch } from './chromium.ts';
import { createFrameDecoder } from './frame-decoder.ts';
import { createRestartPacer } from './restart-pacer.ts';

export interface BrowserSourceOptions {
  url: string;
  width: number;
  height: number;
  /** The stream's frames a second (30 by default): the capture takes no more than these. */
  fps?: number;
  launch: ChromiumLaunch;
  log: (event: string, fields?: Record<string, unknown>) => void;
  /** A new page frame is decoded (the worker host sends each one on at once: worker-browser-source.ts). */
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
  /** Screencast frames received (not all are decoded: only the newest at each slot). */
  framesIn: number;
  /** `now()` of the last frame received, null before the first. */
  lastFrameAt: number | null;
  /** Why the last page was replaced. */
  lastReason: string | null;
  /** Chromium's browser process, while one runs (null if it could not be told): what a host kills if this dies. */
  browserPid: number | null;
}

export interface BrowserSource {
  /** The newest frame: RGBA at the stream's size, valid until the next call. */
  frame(t: number): { rgba: Buffer };
  png(): Promise<Buffer>;
  stats(): BrowserSourceStats;
  /** The page on stream now, if one is open (tests drive it). */
  page(): Page | null;
  close(): Promise<void>;
}

/** How often Chromium composites (headless, no display to sync to). */
const COMPOSITOR_FRAME_MS = 1000 / 60;
const JPEG_QUALITY = 80;
/** Closing a context or a browser is bounded: past this, the browser is killed. */
const CLOSE_TIMEOUT_MS = 3_000;

export function createBrowserSource(o: BrowserSourceOptions): BrowserSource {
  const now = o.now ?? (() => performance.now());
  const hangMs = o.hangMs ?? 2_000;
  const probeMs = o.probeMs ?? 500;
  const openTimeoutMs = o.openTimeoutMs ?? 15_000;
  /** One stream frame's share of a second: the capture's pace (acknowledgements: runPage). */
  const periodMs = 1000 / (o.fps ?? 30);
  const target = new URL(o.url);
  let lastBadFrameLog = -Infinity;
  const decoder = createFrameDecoder(o.width, o.height, (error) => {
    // A frame that is not an image is rare (a truncated message); one line per minute at most says it happens.
    if (now() - lastBadFrameLog >= 60_000) {
      lastBadFrameLog = now();
      o.log('browser.bad-frame', { error, failed: decoder.failed });
    }
  }, o.onFrame);
  const stats: BrowserSourceStats = { pagesOpened: 0, framesIn: 0, lastFrameAt: null, lastReason: null, browserPid: null };
  const pacer = createRestartPacer();

  let closed = false;
  let browser: Browser | null = null;
  let current: { context: BrowserContext; page: Page } | null = null;
  /** Ends the page's wait in `run`; set per page. */
  let endPage: (reason: string) => void = () => {};
  let wake: () => void = () => {};

  const launchBrowser = async (): Promise<Browser> => {
    const { chromium } = await loadPlaywright();
    const b = await chromium.launch({ executablePath: o.launch.executablePath, args: o.launch.args, headless: true, timeout: openTimeoutMs });
    let pid: number | null = null;
    b.on('disconnected', () => {
      if (stats.browserPid === pid) stats.browserPid = null;
      // A browser given up on (closePage: its close ran past the bound) is no longer `browser`: its end is not the page's.
      if (browser !== b) return;
      browser = null;
      endPage('browser-exit');
    });
    pid = await browserPid(b);
    stats.browserPid = pid;
    o.log('browser.launched', { version: b.version(), pid });
    return b;
  };

  /** Opens the page and its screencast; resolves with why it ended. */
  const runPage = async (b: Browser): Promise<string> => {
    const ended = new Promise<string>((resolve) => {
      endPage = resolve;
      // close() came while Chromium was starting: open nothing more than what is already under way.
      if (closed) resolve('closed');
    });
    const context = await b.newContext({ viewport: { width: o.width, height: o.height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    current = { context, page };
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
    // Navigations (the page's, its frames', a script setting location) go only to the page's own origin: refused
    // before Chromium sends them, so no page from elsewhere is ever loaded; a redirect elsewhere ends the page.
    await context.route('**/*', (route) => {
      const req = route.request();
      return req.isNavigationRequest() && !sameOrigin(req.url(), target.origin) ? route.abort('blockedbyclient') : route.continue();
    });
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.redirectedFrom() && !sameOrigin(req.url(), target.origin)) endPage('navigated-away');
    });
    const cdp = await context.newCDPSession(page);
    /**
     * When the next frame is due: one stream frame after the last one's due time, or after now when the frames fell
     * more than a frame behind. Chromium sends a new frame only as frames are acknowledged, at a compositor frame
     * after that; so each acknowledgement goes one compositor frame before the next is due (at 30 fps, 16.7 ms after
     * a frame on time), and frames come about a stream frame apart whether the page draws at 60 Hz or 30.
     */
    let nextDue = -Infinity;
    cdp.on('Page.screencastFrame', (e) => {
      const at = now();
      nextDue = at - nextDue > periodMs ? at + periodMs : nextDue + periodMs;
      const ack = () => void cdp.send('Page.screencastFrameAck', { sessionId: e.sessionId }).catch(() => {});
      const delayMs = nextDue - COMPOSITOR_FRAME_MS - at;
      if (delayMs > 0) setTimeout(ack, delayMs);
      else ack();
      if (current?.page !== page) return;
      decoder.push(Buffer.from(e.data, 'base64'));
      stats.framesIn++;
      stats.lastFrameAt = now();
    });
    // After the document is there: a screencast started while the first navigation is still swapping the page's
    // renderer process fails with "Not attached to an active page".
    await page.goto(target.href, { waitUntil: 'domcontentloaded', timeout: openTimeoutMs });
    await cdp.send('Page.startScreencast', { format: 'jpeg', quality: JPEG_QUALITY, maxWidth: o.width, maxHeight: o.height, everyNthFrame: 1 });
    o.log('browser.page-open', { url: target.origin + target.pathname, pagesOpened: stats.pagesOpened });
    const stopProbes = probe(cdp, endPage);
    try {
      return await ended;
    } finally {
      stopProbes();
    }
  };

  /**
   * Asks the page's main thread for a trivial answer every probeMs; one unanswered for hangMs is a hang (a page
   * stuck in a loop still composites, so frames alone would not tell). A page that draws nothing new is not hung:
   * the screencast sends frames only when something changed. An error is an answer (a probe that lands while the
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

  const closePage = async (): Promise<void> => {
    const c = current;
    current = null;
    if (!c) return;
    const done = await bounded(c.context.close(), CLOSE_TIMEOUT_MS);
    if (!done && browser) {
      o.log('browser.close-timeout', {});
      const b = browser;
      browser = null;
      await bounded(b.close(), CLOSE_TIMEOUT_MS);
    }
  };

  const run = async () => {
    while (!closed) {
      let reason: string;
      try {
        browser ??= await launchBrowser();
        reason = await runPage(browser);
      } catch (e) {
        reason = `open-failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
      await closePage();
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
    frame: () => ({ rgba: decoder.rgba() }),
    png: () => decoder.png(),
    stats: () => ({ ...stats }),
    page: () => current?.page ?? null,
    async close() {
      closed = true;
      endPage('closed');
      wake();
      await running;
      const b = browser;
      browser = null;
      if (b) await bounded(b.close(), CLOSE_TIMEOUT_MS);
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
