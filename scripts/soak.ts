/**
 * `npm run soak`: the whole local stack (`npm start`) with the demo crowd voting and the render node's production
 * bundle streaming 720p30 to the local receiver, left running for a given time. Every sample it reads each
 * service's RSS from /proc, the stream's dropped frames and restarts from the render node's /metrics and the share
 * of CPU time the hypervisor took (steal), prints a progress line, and at the end a table against the targets: after
 * the warm-up, the render node's and the edge's RSS stay within 5 % and no frame is dropped (each drop listed with
 * the steal of its interval).
 *
 *   npm run soak -- [--minutes=60] [--warmup=5] [--every=10] [--demo=12] [--source]
 *
 * --source runs the render node from its TypeScript sources instead of the bundle. The stack's own settings
 * (RESOLUTION, FPS, LANG, …) pass through the environment; ports are free ones and the data folder is thrown away.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { cpuTicks, stealShare } from '@stream-fighter/devstack/stack/cpu-steal';
import { descendants, processTable, residentMemory, type Proc } from '@stream-fighter/devstack/stack/process-tree';
import { freePort } from '@stream-fighter/devstack/stack/free-port';

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '5' },
    every: { type: 'string', default: '10' },
    demo: { type: 'string', default: '12' },
    source: { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes);
const warmupMin = Number(args.warmup);
const everySec = Number(args.every);
if (!(minutes > 0 && warmupMin >= 0 && warmupMin < minutes && everySec >= 1)) {
  throw new Error('soak: --minutes must be > --warmup >= 0, and --every >= 1 (seconds)');
}

/** The services whose memory is sampled, found by their command lines below the stack's process. */
const SERVICES = {
  render: (p: Proc) => /render-node\/(src|dist)\/main\.[tj]s/.test(p.cmd),
  ffmpeg: (p: Proc) => /(^|\/)ffmpeg\s/.test(p.cmd),
  edge: (p: Proc) => /workerd/.test(p.cmd) && !/wrangler/.test(p.cmd),
  // Sampled so a soak without its chat traffic shows (n/a): the bridge's votes are most of the edge's requests.
  chat: (p: Proc) => /chat-bridge\/(src|dist)\/main\.[tj]s/.test(p.cmd),
  stack: (p: Proc) => p.pid === stackPid,
} as const;
type Service = keyof typeof SERVICES;

interface Sample {
  atSec: number;
  rss: Partial<Record<Service, number>>;
  /** The anonymous part of `rss` (heaps), without the pages of mapped files such as a binary's code. */
  anon: Partial<Record<Service, number>>;
  dropped: number;
  restarts: number;
  fps: number;
  state: string;
  /** The share of the machine's CPU time the hypervisor took since the previous sample (0–1). */
  steal: number;
  /** The drops' causes logged so far (late: the render node woke late; blocked: FFmpeg had not taken the frames); longestGap since the previous sample. */
  causes: typeof causes;
}

mkdirSync(join(ROOT, '.data'), { recursive: true });
const dataDir = mkdtempSync(join(ROOT, '.data', 'soak-'));
// Every port the stack opens, the chat bridge's too: on a shared machine a taken default port stops that service,
// and the soak would measure a stack without its chat traffic.
const ports = {
  PORT: await freePort(),
  NEON_HTTP_PORT: await freePort(),
  UPSTASH_PORT: await freePort(),
  RTMP_PORT: await freePort(),
  PREVIEW_PORT: await freePort(),
  RENDER_HTTP_PORT: await freePort(),
  CHAT_BRIDGE_HTTP_PORT: await freePort(),
};
const env = {
  ...process.env,
  ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  DATA_DIR: relative(ROOT, dataDir),
  LOG_LEVEL: 'warn',
  RESOLUTION: process.env.RESOLUTION ?? '720p',
  FPS: process.env.FPS ?? '30',
  RENDER_BUILD: args.source ? 'source' : 'bundle',
};
const say = (line: string) => process.stdout.write(`[soak] ${line}\n`);
say(`starting the stack (${env.RESOLUTION} ${env.FPS} fps, render node from its ${env.RENDER_BUILD}, ${args.demo} demo voters) for ${minutes} min, warm-up ${warmupMin} min`);

const stack = spawn(process.execPath, [join(ROOT, 'scripts/start.ts'), `--demo=${args.demo}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
const stackPid = stack.pid!;
let stackLog = '';
/** The causes of the drops so far, from the render node's `stream.frames-dropped` lines (warn, so LOG_LEVEL=warn shows them). */
const causes = { late: 0, blocked: 0, error: 0, longestGap: 0 };
const keep = (line: string) => {
  stackLog = (stackLog + line + '\n').slice(-20_000);
  if (!line.includes('"stream.frames-dropped"')) return;
  try {
    const f = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, number>;
    causes.late += f.late ?? 0;
    causes.blocked += f.blocked ?? 0;
    causes.error += f.error ?? 0;
    causes.longestGap = Math.max(causes.longestGap, f.longestGap ?? 0);
  } catch {
    // not one of the render node's JSON lines after all
  }
};
createInterface({ input: stack.stdout }).on('line', keep);
createInterface({ input: stack.stderr }).on('line', keep);
let stackExited = false;
stack.on('exit', () => (stackExited = true));

async function stopStack(): Promise<void> {
  if (stackExited) return;
  stack.kill('SIGINT');
  const exited = new Promise((r) => stack.once('exit', r));
  const timer = new Promise((r) => setTimeout(r, 30_000, 'timeout'));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    say('the stack did not stop within 30 s of Ctrl-C: killing its process group');
    process.kill(-stackPid, 'SIGKILL');
  }
}
process.on('SIGINT', () => void stopStack().finally(() => process.exit(130)));

const metricsUrl = `http://127.0.0.1:${ports.RENDER_HTTP_PORT}/metrics`;

/** The preview stream's figures from the render node's Prometheus text, or null while it does not answer. */
async function streamFigures(): Promise<Pick<Sample, 'dropped' | 'restarts' | 'fps' | 'state'> | null> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    const state = /^sf_render_stream_state\{[^}]*state="(\w+)"\} 1$/m.exec(text)?.[1] ?? 'none';
    return { dropped: value('sf_render_stream_dropped_frames_total'), restarts: value('sf_render_stream_restarts_total'), fps: value('sf_render_stream_fps'), state };
  } catch {
    return null;
  }
}

function memory(): Pick<Sample, 'rss' | 'anon'> {
  const table = processTable();
  const tree = [table.find((p) => p.pid === stackPid), ...descendants(stackPid, table)].filter((p): p is Proc => p !== undefined);
  const out: Pick<Sample, 'rss' | 'anon'> = { rss: {}, anon: {} };
  for (const [name, is] of Object.entries(SERVICES) as Array<[Service, (p: Proc) => boolean]>) {
    let rss = 0;
    let anon = 0;
    for (const p of tree.filter(is)) {
      const m = residentMemory(p.pid);
      rss += m?.rss ?? 0;
      anon += m?.anon ?? 0;
    }
    if (rss === 0) continue;
    out.rss[name] = rss;
    out.anon[name] = anon;
  }
  return out;
}

const t0 = performance.now();
const elapsedSec = () => (performance.now() - t0) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const mb = (b: number | undefined) => (b === undefined ? '  n/a' : (b / 2 ** 20).toFixed(1).padStart(6));

try {
  // Up: the stack printed its summary and the stream is live (bounded: a build, migrations and FFmpeg's start).
  for (;;) {
    if (stackExited) throw new Error(`the stack exited while starting:\n${stackLog.slice(-3_000)}`);
    const f = /Stream Fighter is running/.test(stackLog) ? await streamFigures() : null;
    if (f?.state === 'live') break;
    if (elapsedSec() > 180) throw new Error(`the stack and a live stream were not up within 180 s (stream: ${f?.state ?? 'no answer'}):\n${stackLog.slice(-3_000)}`);
    await sleep(1_000);
  }
  say(`up in ${elapsedSec().toFixed(1)} s; sampling every ${everySec} s`);
  const start = elapsedSec();
  const samples: Sample[] = [];
  let ticks = cpuTicks();
  while (elapsedSec() - start < minutes * 60) {
    if (stackExited) throw new Error(`the stack exited during the soak:\n${stackLog.slice(-3_000)}`);
    const f = await streamFigures();
    const now = cpuTicks();
    const s: Sample = { atSec: elapsedSec() - start, ...memory(), dropped: f?.dropped ?? Number.NaN, restarts: f?.restarts ?? Number.NaN, fps: f?.fps ?? 0, state: f?.state ?? 'no answer', steal: stealShare(ticks, now), causes: { ...causes } };
    causes.longestGap = 0;
    ticks = now;
    samples.push(s);
    say(`${(s.atSec / 60).toFixed(1).padStart(5)} min  render ${mb(s.rss.render)} MB (anon ${mb(s.anon.render).trim()})  ffmpeg ${mb(s.rss.ffmpeg)} MB  edge ${mb(s.rss.edge)} MB (anon ${mb(s.anon.edge).trim()})  chat ${mb(s.rss.chat)} MB  stack ${mb(s.rss.stack)} MB  ${s.state} ${s.fps} fps  dropped ${s.dropped}  restarts ${s.restarts}  steal ${pct(s.steal)}`);
    await sleep(everySec * 1_000 - ((performance.now() - t0) % 1_000));
  }
  report(samples);
} finally {
  await stopStack();
  rmSync(dataDir, { recursive: true, force: true });
}

function report(samples: Sample[]): void {
  const after = samples.filter((s) => s.atSec >= warmupMin * 60);
  const first = after[0];
  const last = after.at(-1);
  if (!first || !last) throw new Error('no samples after the warm-up');
  const fps = Number(env.FPS);
  const frames = Math.round((last.atSec - first.atSec) * fps);
  const dropped = last.dropped - first.dropped;
  const rows: string[][] = [['figure', 'target', 'measured', '']];
  for (const name of ['render', 'edge', 'ffmpeg', 'chat', 'stack'] as const) {
    const xs = after.map((s) => s.rss[name]).filter((x): x is number => x !== undefined);
    if (xs.length === 0) continue;
    // Per-minute medians smooth GC sawtooth; "within 5 %" compares the highest to the lowest of them.
    const perMinute = medianPerMinute(after, (s) => s.rss[name]);
    const spread = Math.max(...perMinute) / Math.min(...perMinute) - 1;
    const target = name === 'render' || name === 'edge' ? '≤ 5 %' : '(no target)';
    const pass = name === 'render' || name === 'edge' ? (spread <= 0.05 ? 'ok' : 'FAIL') : '';
    rows.push([`${name} RSS after warm-up (MB: first → last minute, min–max)`, target, `${mb(perMinute[0]).trim()} → ${mb(perMinute.at(-1)).trim()}, ${mb(Math.min(...xs)).trim()}–${mb(Math.max(...xs)).trim()}; spread ${(spread * 100).toFixed(1)} %`, pass]);
    // What a leak would grow: the heaps. Growth outside them is pages of mapped files (code first run late, files).
    const anon = medianPerMinute(after, (s) => s.anon[name]);
    rows.push([`  of which anonymous (heaps)`, '', `${mb(anon[0]).trim()} → ${mb(anon.at(-1)).trim()}; spread ${((Math.max(...anon) / Math.min(...anon) - 1) * 100).toFixed(1)} %`, '']);
  }
  const nodeFfmpeg = after.map((s) => (s.rss.render ?? 0) + (s.rss.ffmpeg ?? 0)).sort((a, b) => a - b);
  rows.push(['render node + FFmpeg RSS, median (MB)', '≤ 200 MiB', mb(nodeFfmpeg[Math.floor(nodeFfmpeg.length / 2)]).trim(), nodeFfmpeg[Math.floor(nodeFfmpeg.length / 2)]! <= 200 * 2 ** 20 ? 'ok' : 'FAIL']);
  rows.push(['dropped frames after warm-up', '0', `${dropped} of ~${frames} (${((dropped / Math.max(1, frames)) * 100).toFixed(3)} %)`, dropped === 0 ? 'ok' : 'FAIL']);
  // Where the drops fell against the host's steal: each interval's drops beside the CPU share the host took in it.
  const intervals = after.slice(1).map((s, i) => ({ s, dropped: s.dropped - after[i]!.dropped }));
  const c0 = first.causes;
  const c1 = last.causes;
  const gap = Math.max(...after.slice(1).map((s) => s.causes.longestGap));
  rows.push(['  their causes, as the render node logged them', '', `late ${c1.late - c0.late} (the node woke late; longest gap ${gap} frames), blocked ${c1.blocked - c0.blocked} (FFmpeg behind), error ${c1.error - c0.error}`, '']);
  const steals = intervals.map((x) => x.s.steal).sort((a, b) => a - b);
  if (steals.length > 0) {
    const dropsAt = intervals.filter((x) => x.dropped > 0).map((x) => `${x.dropped} at ${(x.s.atSec / 60).toFixed(1)} min (steal ${pct(x.s.steal)})`);
    rows.push(['  host steal per interval, median / max', '', `${pct(steals[Math.floor(steals.length / 2)]!)} / ${pct(steals.at(-1)!)}`, '']);
    if (dropsAt.length > 0) rows.push(['  the drops', '', dropsAt.join('; '), '']);
  }
  rows.push(['FFmpeg restarts after warm-up', '0', String(last.restarts - first.restarts), last.restarts === first.restarts ? 'ok' : 'FAIL']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write('\n' + rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n') + '\n');
}

function medianPerMinute(samples: Sample[], pick: (s: Sample) => number | undefined): number[] {
  const byMinute = new Map<number, number[]>();
  for (const s of samples) {
    const x = pick(s);
    if (x === undefined) continue;
    const m = Math.floor(s.atSec / 60);
    byMinute.set(m, [...(byMinute.get(m) ?? []), x]);
  }
  return [...byMinute.values()].map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
}
