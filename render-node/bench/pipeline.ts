/**
 * One run of the whole pipeline as production wires it: a real SceneModel fed synthetic room snapshots (about
 * 10 Hz, random phase, fresh hits in each), the real streams manager, renderer and encoder, and a real FFmpeg
 * pushing RTMP to a local receiver (`ffmpeg -listen 1 … -f null -`, a process of its own that is not counted).
 *
 *   node render-node/bench/pipeline.ts 720p|1080p [seconds=60]     → one JSON line on stdout
 *   BENCH_BUSY_CORE=1   another process keeps one core busy for the whole run (the drops target's condition)
 *   BENCH_KEEP_PRIORITY=1   do not raise the priority as the render node does at start (src/encoder/priority.ts)
 *   BENCH_RENDERER=browser   the stream shows a web page drawn by Chromium (src/browser) instead of the canvas;
 *                     Chromium's processes are measured too (CPU, and RSS as PSS: its processes share most of their
 *                     pages). The page, BENCH_PAGE:
 *     scene (default)  the site's /scene (built: npm run build:web) fed the same snapshots as the canvas, through a
 *                      stand-in room (scene-server.ts): the stream's own scene drawn by the browser
 *     busy             a page heavier than most designs: a full-frame gradient and 24 moving cards with shadows,
 *                      all redrawn at 60 Hz (src/browser/testing/page-server.ts)
 *
 * render.ts runs it as a child process per run, so the draw bench's memory never shows up here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { getPriority, setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { reduce, startRound } from '@stream-fighter/core';
import type { OptionId, RoundState } from '@stream-fighter/core';
import { findFfmpeg, startStream } from '../src/encoder/index.ts';
import { raisePriority } from '../src/encoder/priority.ts';
import { createRenderer } from '../src/scene/renderer.ts';
import { SceneModel } from '../src/scene/model.ts';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { shout, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { bettingExtras } from './betting.ts';
import { RESOLUTIONS, type Config } from '../src/service/config.ts';
import { createLogger } from '../src/service/log.ts';
import { createStreamsManager } from '../src/service/streams-manager.ts';
import { createBrowserRenderer } from '../src/browser/browser-renderer.ts';
import { chromiumLaunch } from '../src/browser/chromium.ts';
import { startPageServer } from '../src/browser/testing/page-server.ts';
import { startSceneServer } from './scene-server.ts';

export type Resolution = keyof typeof RESOLUTIONS;

export type PipelineResult = {
  resolution: Resolution;
  seconds: number;
  /** Node + the pushing FFmpeg, in cores (1.0 = one core busy all the time). */
  cpuCores: number;
  nodeCores: number;
  ffmpegCores: number;
  /** FFmpeg's own `speed` at the end of the window. */
  speed: number;
  /** Media seconds FFmpeg encoded per wall second over the window (from its progress reports). */
  mediaRate: number;
  droppedFrames: number;
  restarts: number;
  /** VmRSS sampled every second, MB. */
  rssMb: { totalMedian: number; totalMax: number; nodeMedian: number; nodeMax: number; ffmpegMedian: number; ffmpegMax: number };
  /** V8's view of Node's memory at the end (the rest of RSS is native: Skia, fonts, frame buffers, malloc). */
  nodeHeapMb: { heapTotal: number; external: number; arrayBuffers: number };
  /** Snapshot applied → the first frame showing it fully written to FFmpeg's stdin, ms. */
  latencyMs: { n: number; median: number; p95: number; max: number };
  /** Node's event-loop delay over the window, ms: a slot the pacer wakes up late for is dropped. */
  eventLoopDelayMs: { p99: number; max: number };
  /** Another process kept one core busy (BENCH_BUSY_CORE=1). */
  busyCore: boolean;
  /** The nice value Node and FFmpeg ran at: what the render node gets at start (src/encoder/priority.ts). */
  nice: number;
  renderer: 'canvas' | 'browser';
  /** BENCH_RENDERER=browser: Chromium's processes, in cores, and their PSS sampled every second (MB). */
  browser?: { cores: number; pssMbMedian: number; pssMbMax: number; framesIn: number; pagesOpened: number };
};

const FPS = 30;
/** Measure from this long after the stream is live: JIT, fonts and x264's first GOP settle first. */
const SETTLE_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
function procCpuSec(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const stat = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS;
}
/** Proportional set size (shared pages split among their users), MB: the honest sum over Chromium's processes. */
function procPssMb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
/**
 * The browser's processes: Chromium's (browser, utility, renderers) and the display it draws on (Xvfb, src/browser/
 * xvfb.ts), below `root`, found by their command lines.
 */
function chromiumPids(root = process.pid): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone while we looked
    }
  }
  const below: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const p = frontier.pop()!;
    for (const [pid, ppid] of parents) if (ppid === p) (below.push(pid), frontier.push(pid));
  }
  const isChromium = (pid: number) => {
    try {
      return /chrom|Xvfb/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  };
  return below.filter(isChromium);
}
const sumCpuSec = (pids: number[]) => pids.reduce((s, p) => s + safe(() => procCpuSec(p)), 0);
const safe = (f: () => number) => {
  try {
    return f();
  } catch {
    return 0;
  }
};
function procRssMb(pid: number | 'self'): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Room snapshots as the room would send them, a fight that stays live: about 30 votes a second, two to one, so
 * every snapshot carries new hits; a big audience keeps the KO away, and a KO or a time-out starts a new round. The
 * season pill and the odds strip are up all along (betting.ts).
 */
function crowd() {
  let n = 0;
  let seq = 0;
  let round: RoundState;
  const newRound = (now: number) => {
    const start = startRound({ pollId: `bench-${++n}`, matchup: showcaseFight(), now: now - 6_000, audience: 5_000 });
    round = reduce(start, { type: 'tick' }, now).state;
  };
  newRound(Date.now());
  const betting = bettingExtras(Date.now());
  let k = 0;
  return (now: number) => {
    if (round.phase !== 'live') newRound(now);
    const votes: Array<{ option: OptionId }> = [];
    for (let i = 0; i < 3; i++) votes.push({ option: k++ % 3 === 0 ? 'B' : 'A' });
    round = reduce(reduce(round, { type: 'tick' }, now).state, { type: 'votes', votes }, now).state;
    return snapshot(round, ++seq, now, { shoutouts: [shout('ana_g', 'Vamos Tornado!! 🌪️', now - 1000)], ...betting(now) });
  };
}

/**
 * A process of its own that spins for as long as it lives: the competing load of the drops target ("another process
 * keeping one core busy"). It runs at nice 0, the default, whatever priority the render node gave itself, and in our
 * session (so Linux's autogroups do not shield us from it either).
 */
function busyCore() {
  const child = execa(process.execPath, ['-e', 'for (;;) {}'], { reject: false, stdio: 'ignore', cleanup: true });
  // A child starts with its parent's nice value: put it back to the default.
  if (child.pid !== undefined && getPriority(child.pid) !== 0) setPriority(child.pid, 0);
  return async () => {
    child.kill('SIGKILL');
    await child;
  };
}

export async function runPipeline(resolution: Resolution, seconds: number, opts: { busyCore?: boolean } = {}): Promise<PipelineResult> {
  // As main.ts does at start; BENCH_KEEP_PRIORITY=1 measures without it.
  const { nice } = process.env.BENCH_KEEP_PRIORITY === '1' ? { nice: getPriority() } : raisePriority();
  const stopBusy = opts.busyCore ? busyCore() : null;
  try {
    return { ...(await measure(resolution, seconds, opts.busyCore === true)), nice };
  } finally {
    await stopBusy?.();
  }
}

async function measure(resolution: Resolution, seconds: number, busy: boolean): Promise<Omit<PipelineResult, 'nice'>> {
  const { width, height } = RESOLUTIONS[resolution];
  const ffmpegPath = findFfmpeg();
  const port = await freePort();
  const receiver = execa(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-listen', '1', '-i', `rtmp://127.0.0.1:${port}/live/bench`, '-c', 'copy', '-f', 'null', '-'], { reject: false });
  await sleep(500);

  // Snapshot tagging: when each was applied, and which was the newest applied when each frame's view was taken.
  const model = new SceneModel();
  const appliedAt = new Map<number, number>();
  let lastApplied = 0;
  const viewSeq = new Map<number, number>();
  let lastShown = 0;
  let measuring = false;
  const latencies: number[] = [];
  // FFmpeg's frame count as each progress report arrives: media time encoded per wall second over the window.
  const progress: Array<{ at: number; frames: number }> = [];
  const onProgress = (p: { frame: number }) => {
    if (measuring) progress.push({ at: performance.now(), frames: p.frame });
  };
  const frameIndex = (t: number) => Math.floor((t * FPS) / 1000);
  const scene = {
    advanceTo(t: number) {
      viewSeq.set(frameIndex(t), lastApplied);
      return model.advanceTo(t);
    },
  };
  const onFrameWritten = (t: number) => {
    const i = frameIndex(t);
    const seq = viewSeq.get(i) ?? 0;
    for (const k of viewSeq.keys()) if (k <= i) viewSeq.delete(k);
    const done = performance.now();
    for (; lastShown < seq; lastShown++) {
      const at = appliedAt.get(lastShown + 1);
      appliedAt.delete(lastShown + 1);
      if (measuring && at !== undefined) latencies.push(done - at);
    }
  };

  const renderer = process.env.BENCH_RENDERER === 'browser' ? 'browser' : 'canvas';
  const pageKind = process.env.BENCH_PAGE === 'busy' ? 'busy' : 'scene';
  const pages = renderer === 'browser' && pageKind === 'busy' ? await startPageServer() : null;
  const scenePage = renderer === 'browser' && pageKind === 'scene' ? await startSceneServer() : null;
  const pageUrl = scenePage?.url ?? (pages ? `${pages.url}busy` : undefined);

  const next = crowd();
  let feeding = true;
  let feedTimer: NodeJS.Timeout | undefined;
  const feed = () => {
    if (!feeding) return;
    const now = Date.now();
    const s = next(now);
    appliedAt.set(s.seq, performance.now());
    model.applySnapshot(s, now);
    scenePage?.send(s);
    lastApplied = s.seq;
    // 100 ms on average, at a random phase against the 33 ms frame clock, as network arrivals are.
    feedTimer = setTimeout(feed, 70 + Math.random() * 60);
  };
  feed();

  let handle: ReturnType<typeof startStream> | null = null;
  let page: ReturnType<typeof createBrowserRenderer> | null = null;
  const log = createLogger({ level: 'warn', write: (line) => process.stderr.write(line + '\n') });
  const config = {
    width,
    height,
    FPS,
    VIDEO_BITRATE: resolution === '1080p' ? '6000k' : '3000k',
    X264_PRESET: 'ultrafast',
    AUDIO: 'bed',
    FFMPEG_PATH: ffmpegPath,
    LANG: 'en',
    VOTE_URL: 'https://vote.streamfighter.tv/',
    RTMP_URL: `rtmp://127.0.0.1:${port}/live`,
    STALL_TIMEOUT_MS: undefined,
    STATIC_STREAMS: [{ screenId: 'fight', streamKey: 'bench' }],
    USE_CANVAS_RENDERER: renderer === 'canvas',
    BROWSER_URL: pageUrl,
    BROWSER_URL_ALLOW: pageUrl ? [new URL(pageUrl).origin] : [],
  } satisfies Partial<Config>;
  const manager = createStreamsManager({
    config: config as Config,
    scene,
    createRenderer,
    createBrowserRenderer: (o) => (page = createBrowserRenderer({ ...o, launch: chromiumLaunch(process.env), log: (event, fields) => log.warn(event, fields) })),
    startStream: (o) => (handle = startStream({ ...o, onFrameWritten, onProgress })),
    log,
  });

  const live = () => manager.statuses()[0]?.state === 'live';
  for (const t0 = Date.now(); !live(); await sleep(50)) if (Date.now() - t0 > 15_000) throw new Error('the stream never went live');
  // The page's first frames come a moment after Chromium starts, and are not what is measured.
  const p0 = page as ReturnType<typeof createBrowserRenderer> | null;
  if (p0) for (const t0 = Date.now(); p0.source.stats().framesIn < 30; await sleep(50)) if (Date.now() - t0 > 20_000) throw new Error('the page sent no frames');
  await sleep(SETTLE_MS);
  const h = handle as ReturnType<typeof startStream> | null;
  const pid = h?.ffmpegPid();
  if (!h || pid === undefined) throw new Error('no FFmpeg');

  measuring = true;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const ff0 = procCpuSec(pid);
  const dropped0 = h.stats().droppedFrames;
  const chrome = p0 ? chromiumPids() : [];
  const chrome0 = sumCpuSec(chrome);
  const framesIn0 = p0?.source.stats().framesIn ?? 0;
  const t0 = performance.now();
  const samples: Array<{ node: number; ffmpeg: number }> = [];
  // Chromium's PSS is read by a process of its own: smaps_rollup walks each process's page tables, tens of ms for
  // Chromium's huge address spaces, which on this thread stalled the very frame loop being measured.
  const pssSampler = p0 ? execa(process.execPath, [fileURLToPath(import.meta.url), PSS_SAMPLER, String(process.pid)], { reject: false }) : null;
  const sampler = setInterval(() => samples.push({ node: procRssMb('self'), ffmpeg: procRssMb(pid) }), 1000);
  await sleep(seconds * 1000);
  clearInterval(sampler);
  pssSampler?.kill('SIGTERM');
  const chromePss = pssSampler ? String((await pssSampler).stdout).split('\n').filter(Boolean).map(Number) : [];
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // Renderer processes replaced during the run are not counted: the browser source logs any restart.
  const browser = p0
    ? {
        cores: round3((sumCpuSec(chrome) - chrome0) / wall),
        pssMbMedian: round1(quantile(chromePss, 0.5)),
        pssMbMax: round1(Math.max(...chromePss)),
        framesIn: p0.source.stats().framesIn - framesIn0,
        pagesOpened: p0.source.stats().pagesOpened,
      }
    : undefined;
  const samePid = h.ffmpegPid() === pid;
  const ffCpu = samePid ? procCpuSec(pid) - ff0 : NaN;
  const stats = h.stats();
  const mem = process.memoryUsage();
  loopDelay.disable();
  measuring = false;

  feeding = false;
  clearTimeout(feedTimer);
  await manager.stop();
  receiver.kill();
  await receiver;
  await pages?.close();
  await scenePage?.close();

  const first = progress[0];
  const last = progress.at(-1);
  const mediaRate = first && last && last.at > first.at ? (last.frames - first.frames) / FPS / ((last.at - first.at) / 1000) : NaN;
  const nodeCores = (cpu.user + cpu.system) / 1e6 / wall;
  const ffmpegCores = ffCpu / wall;
  const med = (f: (s: { node: number; ffmpeg: number }) => number) => round1(quantile(samples.map(f), 0.5));
  const max = (f: (s: { node: number; ffmpeg: number }) => number) => round1(Math.max(...samples.map(f)));
  return {
    resolution,
    seconds: Math.round(wall),
    cpuCores: round3(nodeCores + ffmpegCores),
    nodeCores: round3(nodeCores),
    ffmpegCores: round3(ffmpegCores),
    speed: stats.speed,
    mediaRate: round3(mediaRate),
    droppedFrames: stats.droppedFrames - dropped0,
    restarts: stats.restarts,
    rssMb: {
      totalMedian: med((s) => s.node + s.ffmpeg),
      totalMax: max((s) => s.node + s.ffmpeg),
      nodeMedian: med((s) => s.node),
      nodeMax: max((s) => s.node),
      ffmpegMedian: med((s) => s.ffmpeg),
      ffmpegMax: max((s) => s.ffmpeg),
    },
    nodeHeapMb: { heapTotal: round1(mem.heapTotal / 2 ** 20), external: round1(mem.external / 2 ** 20), arrayBuffers: round1(mem.arrayBuffers / 2 ** 20) },
    latencyMs: { n: latencies.length, median: round1(quantile(latencies, 0.5)), p95: round1(quantile(latencies, 0.95)), max: round1(Math.max(...latencies)) },
    eventLoopDelayMs: { p99: round1(loopDelay.percentile(99) / 1e6), max: round1(loopDelay.max / 1e6) },
    busyCore: busy,
    renderer,
    ...(browser ? { browser } : {}),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * `pipeline.js <PSS_SAMPLER> <pid>`: prints the PSS of Chromium's processes below pid, MB, a line a second, and ends
 * with pid. (Its own command line must not match chromiumPids' pattern: it runs below pid too.)
 */
const PSS_SAMPLER = '--pss-of';

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === PSS_SAMPLER) {
  const root = Number(process.argv[3]);
  const timer = setInterval(() => {
    try {
      process.kill(root, 0);
    } catch {
      process.exit(0);
    }
    process.stdout.write(`${chromiumPids(root).reduce((s, p) => s + procPssMb(p), 0)}\n`);
  }, 1000);
  process.on('SIGTERM', () => {
    clearInterval(timer);
    process.exit(0);
  });
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const res = (process.argv[2] ?? '720p') as Resolution;
  if (!(res in RESOLUTIONS)) throw new Error(`resolution must be 720p or 1080p, got ${res}`);
  const seconds = Number(process.argv[3] ?? process.env.BENCH_SECONDS ?? 60);
  const result = await runPipeline(res, seconds, { busyCore: process.env.BENCH_BUSY_CORE === '1' });
  process.stdout.write(JSON.stringify(result) + '\n');
}
