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
 * Recovery (one loop, `run`): a renderer crash, a page that answers no probe for `hangMs`, a redirect to another
 * origin (a navigation there is refused: the page stays) and a Chromium that exits all end the page; a new one is opened (a new tab, or a new browser and display
 * when the old one is gone, will not close a tab, or failed to open the page) and the last frame is held meanwhile:
 * the display is read only while a page is up and has drawn at the stream's size.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ChromiumLaunch } from './chromium.ts';
import { chromiumPidByProfile, newProfileDir, sweepStaleProfiles } from './chromium-profiles.ts';
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
  /** Bound on each step of opening the page (Chromium's launch, a new tab, the navigation, its first frames). */
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
  /**
   * The newest frame: RGBA at the stream's size (no alpha: the encoder ignores the fourth byte), valid until the next
   * frame is captured (the worker host copies each one as it comes: browser-worker.ts).
   */
  frame(t: number): { rgba: Buffer };
  png(): Promise<Buffer>;
  stats(): BrowserSourceStats;
  /** The page on stream now, if one is open (tests drive it). */
  page(): Page | null;
  close(): Promise<void>;
}

/**
 * Closing a tab or a browser is bounded: past this, a browser is killed by its pid (a tab's whole browser is ended).
 */
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
  /**
   * Two buffers the display is read into in turn (RGBA from RGBA_OFFSET: xvfb.ts says why). A read is shown one
   * frame later, and only if its page (and Chromium's process) was still up at the next read: what a dying page
   * leaves on the display (a crashed tab's notice, the bare screen of a Chromium gone) comes a moment before the
   * event that says so, and a frame's delay keeps it off the stream. `picture` is black until the first.
   */
  const reads = [Buffer.alloc(xvfbBufferBytes(o.width, o.height)), Buffer.alloc(xvfbBufferBytes(o.width, o.height))];
  let picture: Buffer = Buffer.alloc(bytes);
  /** The read waiting to be shown, and the page it was read from. */
  let held: { buffer: Buffer; page: Page } | null = null;
  const stats: BrowserSourceStats = { pagesOpened: 0, framesIn: 0, lastFrameAt: null, lastReason: null, browserPid: null };
  const pacer = createRestartPacer();

  /** A Chromium on a display of its own: one full-screen window (kiosk mode) whose tabs are the pages. */
  interface Session {
    context: BrowserContext;
    display: Xvfb;
    /** Chromium's profile for this launch, removed with it. */
    dataDir: string;
    /** Chromium's browser process, once known: killed if it will not close. */
    pid: number | null;
    ended: boolean;
    /** runPage has asked for a new tab: the next tab to appear is ours. */
    expectingTab: boolean;
    /** Tabs that appeared uninvited and are being closed: while any is, the window may show one, and frames hold. */
    strays: number;
  }
  let closed = false;
  let session: Session | null = null;
  let current: Page | null = null;
  /** The page whose display is read each frame: set once it is up and drawn at the stream's size, cleared as it ends. */
  let live: { page: Page; display: Xvfb } | null = null;
  /** Ends the current page's wait in `run` (close() calls it); each page has its own. */
  let endPage: (reason: string) => void = () => {};
  let wake: () => void = () => {};

  /** Once a session's Chromium is gone: its display and profile go too (Xvfb ends by itself too: xvfb.ts). */
  const cleanUp = (s: Session): Promise<void> => {
    if (live?.display === s.display) live = null;
    void s.display.stop();
    return removeProfile(s.dataDir);
  };

  /** Closes a session's Chromium (bounded; one that will not close is killed), then its display and profile. */
  const endSession = async (s: Session) => {
    if (session === s) session = null;
    if (s.ended) return;
    s.ended = true;
    if (live?.display === s.display) live = null;
    if (!(await bounded(s.context.close(), CLOSE_TIMEOUT_MS))) {
      o.log('browser.close-timeout', { pid: s.pid });
      if (s.pid !== null) killPid(s.pid);
    }
    if (stats.browserPid === s.pid) stats.browserPid = null;
    await s.display.stop();
    // Awaited, so a node that closes and exits leaves no profile behind.
    await bounded(cleanUp(s), CLOSE_TIMEOUT_MS);
  };

  /** Starts a display and a Chromium on it as `session` (set at once, so a failure further on still ends both). */
  const launch = async (): Promise<void> => {
    const { chromium } = await loadPlaywright();
    const stale = sweepStaleProfiles();
    if (stale.length > 0) o.log('browser.stale-profiles-removed', { count: stale.length });
    const dataDir = newProfileDir();
    let display: Xvfb;
    let context: BrowserContext;
    try {
      writeQuietPreferences(dataDir);
      display = await startXvfb({ width: o.width, height: o.height });
    } catch (e) {
      void removeProfile(dataDir);
      throw e;
    }
    try {
      // A persistent context, because only the window Chromium opens at its start follows `--kiosk` (displayArgs).
      context = await chromium.launchPersistentContext(dataDir, {
        executablePath: o.launch.executablePath,
        args: [...o.launch.args, ...displayArgs(o.width, o.height)],
        // Playwright turns the popup blocker off; on, a page cannot open a second tab over itself (the pages have no
        // user to click, and a window.open() without one is blocked).
        ignoreDefaultArgs: ['--disable-popup-blocking'],
        headless: false,
        // No viewport of playwright's: the page is the window, and the window is the whole screen.
        viewport: null,
        acceptDownloads: false,
        env: { ...process.env, DISPLAY: display.display, WAYLAND_DISPLAY: '' },
        timeout: openTimeoutMs,
      });
    } catch (e) {
      await display.stop();
      void removeProfile(dataDir);
      throw e;
    }
    const s: Session = { context, display, dataDir, pid: null, ended: false, expectingTab: false, strays: 0 };
    session = s;
    context.on('close', () => {
      s.ended = true;
      void cleanUp(s);
      if (stats.browserPid === s.pid) stats.browserPid = null;
      // A session already ended (endSession) is no longer `session`: its end is not the page's.
      if (session !== s) return;
      session = null;
      endPage('browser-exit');
    });
    // Navigations (the page's, its frames', a script setting location) go only to the page's own origin: refused
    // before Chromium sends them, so no page from elsewhere is ever loaded; a redirect elsewhere ends the page.
    await within(
      context.route('**/*', (route) => {
        const req = route.request();
        // Answered "204 No Content", after which a browser stays where it was (HTTP's own meaning for a navigation):
        // the page goes on, with no error page drawn over it, as an aborted request would show.
        const answered = req.isNavigationRequest() && !sameOrigin(req.url(), target.origin) ? route.fulfill({ status: 204 }) : route.continue();
        // A request still in flight as its tab or Chromium closes cannot be answered: nothing to do about it then.
        return answered.catch(() => {});
      }),
      CLOSE_TIMEOUT_MS,
      'setting up the navigation guard',
    );
    const b = context.browser();
    if (b) await within(guardTabs(s, b), CLOSE_TIMEOUT_MS, 'watching for tabs');
    // Asked over DevTools; else found by its profile among this machine's processes.
    const pid = (b ? await browserPid(b) : null) ?? chromiumPidByProfile(dataDir);
    // Only while it runs: a pid that outlived its process may be another process's by now.
    if (!s.ended) {
      s.pid = pid;
      stats.browserPid = pid;
    }
    o.log('browser.launched', { version: b?.version() ?? null, pid, display: display.display });
  };

  /**
   * Any tab but ours (a page's popup, should one get past the blocker) is closed at once, frames holding meanwhile:
   * the window shows its newest tab. Ours is the one tab runPage asks for at a time (`expectingTab`). Watched through
   * DevTools' target events, which come as the tab is made (playwright's 'page' event comes once it has loaded, and
   * the window has shown it by then: a frame of it reached the stream, tested). One that will not close ends the page
   * (the next one starts by closing every other tab, or with a new Chromium).
   */
  const guardTabs = async (s: Session, b: Browser) => {
    const cdp = await b.newBrowserCDPSession();
    let existing = true;
    cdp.on('Target.targetCreated', ({ targetInfo }) => {
      // The tabs already open when the watch starts are announced first: the window's first, which runPage closes.
      if (existing || targetInfo.type !== 'page') return;
      if (s.expectingTab) {
        s.expectingTab = false;
        return;
      }
      s.strays++;
      void bounded(cdp.send('Target.closeTarget', { targetId: targetInfo.targetId }), CLOSE_TIMEOUT_MS).then((done) => {
        s.strays--;
        if (!done && session === s) endPage('stray-tab');
      });
    });
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    existing = false;
  };

  /**
   * Opens the page in a new tab of the session's window (shown at once: the window shows its newest tab), closes
   * every other tab (the window's first, empty one; the page this one replaces), and resolves with why it ended.
   * The page is read only once it is up; whatever ends it (a crash, a hang, close()) ends the opening too.
   */
  const runPage = async (s: Session): Promise<string> => {
    // close() came while Chromium was starting: open nothing more.
    if (closed) return 'closed';
    let resolveEnded: (reason: string) => void = () => {};
    const ended = new Promise<string>((resolve) => (resolveEnded = resolve));
    let page: Page | null = null;
    let over = false;
    const end = (reason: string) => {
      if (over) return;
      over = true;
      // From this moment the display may no longer show this page: the frame holds.
      if (page && live?.page === page) live = null;
      resolveEnded(reason);
    };
    endPage = end;
    let stopProbes = () => {};
    const open = async () => {
      s.expectingTab = true;
      // Bounded, as every step here: a Chromium that stopped answering would otherwise hold the page open for good.
      const p = await within(s.context.newPage(), openTimeoutMs, 'opening a tab').finally(() => (s.expectingTab = false));
      // Ended meanwhile (close(), Chromium gone): this tab is the next opening's to close.
      if (over) return;
      page = p;
      current = p;
      stats.pagesOpened++;
      p.on('crash', () => end('crash'));
      p.on('framenavigated', (f) => {
        if (f !== p.mainFrame()) return;
        let origin = '';
        try {
          origin = new URL(f.url()).origin;
        } catch {
          // about:blank and the like have no origin: away.
        }
        // Within the page's own origin it may route as it likes (its own links, a redirect to a login it serves).
        if (origin !== target.origin) end(`navigated-away`);
      });
      p.on('request', (req) => {
        if (req.isNavigationRequest() && req.redirectedFrom() && !sameOrigin(req.url(), target.origin)) end('navigated-away');
      });
      for (const other of s.context.pages()) {
        // A tab that will not close (its renderer stuck) fails the open: the run loop then ends the whole browser.
        if (other !== p && !(await bounded(other.close(), CLOSE_TIMEOUT_MS))) throw new Error('an earlier tab would not close');
      }
      await p.goto(target.href, { waitUntil: 'domcontentloaded', timeout: openTimeoutMs });
      if (over) return;
      const cdp = await within(s.context.newCDPSession(p), openTimeoutMs, 'attaching to the tab');
      if (over) {
        void cdp.detach().catch(() => {});
        return;
      }
      stopProbes = probe(cdp, end);
      // Read the display only once the window is at the screen's size and the page has drawn since: before that the
      // display shows a window being set up (or, for a new browser, nothing), and the last frame holds instead. (The
      // window covers the frame at least: xvfb.ts says why the screen is a pixel larger.) Checked at once and then on
      // each animation frame, so three checks at full size span two frames drawn; it starts again on a navigation
      // within the origin. (The predicate runs without eval, so a page's CSP does not stop it.)
      await p.waitForFunction(
        ([w, h]) => {
          const g = globalThis as { __sfFramesAtSize?: number };
          g.__sfFramesAtSize = innerWidth >= w && innerHeight >= h ? (g.__sfFramesAtSize ?? 0) + 1 : 0;
          return g.__sfFramesAtSize >= 3;
        },
        [o.width, o.height] as const,
        { polling: 'raf', timeout: openTimeoutMs },
      );
      if (over) return;
      live = { page: p, display: s.display };
      o.log('browser.page-open', { url: target.origin + target.pathname, pagesOpened: stats.pagesOpened });
    };
    try {
      const opened = open();
      // An opening overtaken by the page's end still settles in the background: nothing more to do with it then.
      opened.catch(() => {});
      return await Promise.race([opened.then(() => ended), ended]);
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

  /** Reads the display at the stream's rate while a page is up (`live`), showing each read a frame later (`reads`). */
  let captureTimer: NodeJS.Timeout | undefined;
  let nextDue = now();
  const capture = () => {
    if (closed) return;
    // Chromium's own process is looked at too: killed, its window is gone from the display (the bare screen shows)
    // before its driver hears of it, and that can be more than a frame.
    const up = live && !live.display.exited && session?.display === live.display && session.strays === 0 && processRunning(session.pid) ? live : null;
    // The read from the last tick is shown only if the same page is still up now.
    if (held && up?.page === held.page) {
      picture = held.buffer.subarray(RGBA_OFFSET, RGBA_OFFSET + bytes);
      stats.framesIn++;
      stats.lastFrameAt = now();
      o.onFrame?.();
    }
    held = null;
    if (up) {
      // Never the buffer `picture` is a view of: that one stays whole until its successor is shown.
      const buffer = picture.buffer === reads[0]!.buffer ? reads[1]! : reads[0]!;
      if (up.display.read(buffer)) held = { buffer, page: up.page };
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
        if (!session) await launch();
        // A Chromium that exited while it started has left no session.
        if (!session) throw new Error('Chromium exited while starting');
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

/**
 * Preferences for a new profile: no translation offer (a page in another language than Chromium's would get one
 * over it) and every permission prompt answered no without asking (notifications, location, camera, microphone…):
 * nothing of Chromium's own draws over the page on stream.
 */
function writeQuietPreferences(dataDir: string): void {
  const block = 2;
  const settings = Object.fromEntries(['notifications', 'geolocation', 'media_stream_camera', 'media_stream_mic', 'midi', 'midi_sysex', 'clipboard', 'local_fonts', 'window_placement', 'idle_detection', 'protocol_handlers', 'automatic_downloads', 'storage_access'].map((k) => [k, block]));
  mkdirSync(join(dataDir, 'Default'), { recursive: true });
  writeFileSync(join(dataDir, 'Default', 'Preferences'), JSON.stringify({ translate: { enabled: false }, profile: { default_content_setting_values: settings } }));
}

/** `p`, or a rejection naming `what` once `ms` have passed. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => {});
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** False once `pid` has ended (gone, or a zombie not yet reaped); true for null (not known: nothing to look at). */
function processRunning(pid: number | null): boolean {
  if (pid === null) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat[stat.lastIndexOf(')') + 2];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGKILL to `pid`, if it still runs. */
function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Removes a Chromium profile; its last processes may still be writing as they exit, hence the retries. */
function removeProfile(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => {
    // Left in the temporary directory until the next launch's sweep (chromium-profiles.ts; nothing there is secret).
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
