/**
 * The supervisor against a real receiver (node-media-server in this process): FFmpeg killed mid-stream again and
 * again, the receiver going away for 30 s and coming back, and a stop that leaves no processes behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { startStream, type StreamHandle } from '../src/encoder/index.ts';
import { childPids, createNms, freePort, isRunning, listenOnce, type PublishRecord } from './helpers/rtmp.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const W = 320;
const H = 180;
const FPS = 30;
/** What the issue asks of recovery: frames at the receiver again within this long, every time. */
const RECOVERY_MS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'sf-nms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A publish that has delivered media: more than headers' worth of bytes. */
const flowing = (p: PublishRecord | undefined) => (p && p.session.inBytes > 20_000 ? p : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stream of flat frames to a node-media-server on a fresh port, with its log and its draw count. */
async function streamToNms(key: string) {
  const port = await freePort();
  const nms = createNms(port, dir);
  await nms.start();
  const events: Array<{ event: string; at: number; fields?: Record<string, unknown> }> = [];
  const frame = Buffer.alloc(W * H * 4, 0x60);
  const drawn = { calls: 0 };
  const stream = startStream({
    streamKey: key,
    rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
    width: W,
    height: H,
    fps: FPS,
    bitrate: '500k',
    preset: 'ultrafast',
    audio: 'bed',
    frame: () => {
      drawn.calls++;
      return { rgba: frame, sfx: [] };
    },
    log: (event, fields) => events.push({ event, at: performance.now(), fields }),
  });
  return { nms, stream, events, drawn };
}

/** Stop: FFmpeg is told to finish and is gone, and no child of this process is left. */
async function stopClean(stream: StreamHandle, nms: ReturnType<typeof createNms>) {
  const pid = stream.ffmpegPid();
  const t0 = performance.now();
  await stream.stop();
  const stopMs = performance.now() - t0;
  await nms.stop();
  expect(stream.stats().state).toBe('stopped');
  if (pid !== undefined) expect(isRunning(pid)).toBe(false);
  expect(childPids(process.pid)).toEqual([]);
  expect(stopMs).toBeLessThan(3000);
}

it('puts a killed FFmpeg back on air within 2 s, five times in a row, without slowing down', async () => {
  const { nms, stream, events } = await streamToNms('kills');
  try {
    await until('the first publish to flow', () => flowing(nms.publishes[0]), 10_000);
    await until('state live', () => stream.stats().state === 'live', 5000);
    expect(stream.stats()).toMatchObject({ streamKey: 'kills', restarts: 0 });
    expect(stream.stats().error).toBeUndefined();

    const gaps: number[] = [];
    for (let kill = 1; kill <= 5; kill++) {
      // Live for a moment each time: every one of these sessions streamed before it died.
      await sleep(1500);
      const pid = stream.ffmpegPid()!;
      expect(isRunning(pid)).toBe(true);
      const publishes = nms.publishes.length;
      const killedAt = performance.now();
      process.kill(pid, 'SIGKILL');
      await until(`publish ${kill + 1} to flow after kill ${kill}`, () => nms.publishes.length > publishes && flowing(nms.publishes.at(-1)), 5000, 10);
      gaps.push(Math.round(performance.now() - killedAt));
      await until(`state live after kill ${kill}`, () => stream.stats().state === 'live', 3000);
      expect(stream.ffmpegPid()).not.toBe(pid);
      // Reaped, not a zombie.
      await until(`the FFmpeg of kill ${kill} to be reaped`, () => !isRunning(pid), 2000);
    }
    console.info(`kill → frames flowing again at the receiver, ms: ${gaps.join(', ')}`);
    for (const gap of gaps) expect(gap).toBeLessThan(RECOVERY_MS);
    expect(stream.stats()).toMatchObject({ state: 'live', restarts: 5 });
    expect(events.filter((e) => e.event === 'ffmpeg-exit').map((e) => e.fields?.signal)).toEqual(Array(5).fill('SIGKILL'));
    // Each session had gone live, so the pause before the next FFmpeg never grew.
    expect(events.filter((e) => e.event === 'stream-retry').map((e) => e.fields?.inMs)).toEqual(Array(5).fill(100));
  } finally {
    await stopClean(stream, nms);
  }
}, 60_000);

it('rides out the receiver going away for 30 s without spawning FFmpeg, and is back within 2 s of its return', async () => {
  const { nms, stream, events, drawn } = await streamToNms('outage');
  try {
    await until('the first publish to flow', () => flowing(nms.publishes[0]), 10_000);
    await until('state live', () => stream.stats().state === 'live', 5000);

    await nms.stop();
    await until('state retrying', () => stream.stats().state === 'retrying', 5000);
    await until('the probe to report the target unreachable', () => events.some((e) => e.event === 'rtmp-unreachable'), 3000);
    const downAt = performance.now();
    const drawnBefore = drawn.calls;
    // The outage itself: nothing to wait for, just time passing.
    await sleep(30_000);
    // The scene stayed current, and the outage cost probes, not FFmpeg processes.
    expect(drawn.calls - drawnBefore).toBeGreaterThan(25 * FPS);
    expect(events.filter((e) => e.event === 'ffmpeg-start' && e.at > downAt)).toEqual([]);
    expect(stream.stats()).toMatchObject({ state: 'retrying', error: expect.stringMatching(/unreachable.*ECONNREFUSED/) });

    const publishes = nms.publishes.length;
    const backAt = performance.now();
    await nms.start();
    await until('a publish to flow after the receiver came back', () => nms.publishes.length > publishes && flowing(nms.publishes.at(-1)), 10_000, 10);
    const resumeMs = Math.round(performance.now() - backAt);
    console.info(`receiver back after 30 s → frames flowing again, ms: ${resumeMs}`);
    expect(resumeMs).toBeLessThan(RECOVERY_MS);
    await until('state live after the outage', () => stream.stats().state === 'live', 5000);
    expect(stream.stats().error).toBeUndefined();
    expect(stream.stats().restarts).toBe(1);
  } finally {
    await stopClean(stream, nms);
  }
}, 60_000);

it('kills and replaces an FFmpeg that stops making progress', async () => {
  const port = await freePort();
  const nms = createNms(port, dir);
  await nms.start();
  const events: string[] = [];
  const drops: Array<Record<string, unknown>> = [];
  const stream = startStream({
    streamKey: 'stall',
    rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
    width: W,
    height: H,
    fps: FPS,
    bitrate: '500k',
    preset: 'ultrafast',
    audio: 'music',
    frame: () => ({ rgba: Buffer.alloc(W * H * 4, 0x20), sfx: ['kick'] }),
    log: (event, fields) => (events.push(event), event === 'frames-dropped' && drops.push(fields!)),
    stallTimeoutMs: 1500,
  });
  try {
    await until('live', () => stream.stats().state === 'live', 10_000);
    const frozen = stream.ffmpegPid()!;
    // A stopped process keeps its sockets open and reads nothing: exactly a hung encoder or a wedged network.
    process.kill(frozen, 'SIGSTOP');
    const droppedBefore = stream.stats().droppedFrames;
    await until('the stall to be noticed', () => events.includes('ffmpeg-stall'), 5000);
    await until('a new FFmpeg live', () => stream.stats().state === 'live' && stream.ffmpegPid() !== frozen, 5000);
    expect(isRunning(frozen)).toBe(false);
    expect(stream.stats().restarts).toBe(1);
    // Frames that could not be written while FFmpeg was frozen were dropped, not queued, and the log says why:
    // FFmpeg had not taken the frames before (blocked), not a render node that woke late.
    expect(stream.stats().droppedFrames).toBeGreaterThan(droppedBefore + FPS);
    await until('the drops logged', () => drops.reduce((n, d) => n + Number(d.blocked), 0) > FPS, 12_000);
    expect(drops.reduce((n, d) => n + Number(d.blocked), 0)).toBeGreaterThan(drops.reduce((n, d) => n + Number(d.late), 0));
  } finally {
    await stream.stop();
    await nms.stop();
  }
  expect(childPids(process.pid)).toEqual([]);
}, 30_000);

it('logs the frames a stalled event loop cost as late, with the longest gap, at most once per 10 s', async () => {
  const { nms, stream, events } = await streamToNms('late');
  try {
    await until('live', () => stream.stats().state === 'live', 10_000);
    const before = stream.stats().droppedFrames;
    // The event loop held for 400 ms, twice: what a long GC pause or a busy CPU does to the frame loop.
    const block = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    block(400);
    await sleep(200);
    block(400);
    const logged = () => events.filter((e) => e.event === 'frames-dropped');
    await until('the first drops logged', () => logged().length >= 1, 5_000);
    const first = logged()[0]!.fields!;
    expect(first).toMatchObject({ error: 0 });
    expect(Number(first.late)).toBeGreaterThanOrEqual(10);
    expect(Number(first.longestGap)).toBeGreaterThanOrEqual(10);
    // The first is logged at once; the second stall waits for the next 10-s window instead of a line of its own.
    await sleep(1_000);
    expect(logged()).toHaveLength(1);
    await until('the second stall logged', () => logged().length === 2, 12_000);
    expect(Number(logged()[1]!.fields!.late)).toBeGreaterThanOrEqual(10);
    // Every dropped frame logged is one the counter has (a busy machine may add drops not logged yet).
    const total = logged().reduce((n, e) => n + Number(e.fields!.late) + Number(e.fields!.blocked) + Number(e.fields!.error), 0);
    expect(total).toBeLessThanOrEqual(stream.stats().droppedFrames - before);
    expect(logged()[1]!.at - logged()[0]!.at).toBeGreaterThanOrEqual(9_900);
  } finally {
    await stopClean(stream, nms);
  }
}, 40_000);

describe('signals to the render node process', () => {
  const child = join(import.meta.dirname, 'fixtures', 'stream-child.ts');

  async function startChild() {
    const port = await freePort();
    const receiver = await listenOnce(port, '/live/child', join(dir, `child-${port}.flv`));
    const proc = execa(process.execPath, [child, `rtmp://127.0.0.1:${port}/live`], { reject: false, timeout: 30_000 });
    const line = await new Promise<string>((resolve, reject) => {
      proc.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
      void proc.then(() => reject(new Error('child exited before going live')));
    });
    const { ffmpegPid } = JSON.parse(line) as { ffmpegPid: number };
    expect(isRunning(ffmpegPid)).toBe(true);
    return { proc, ffmpegPid, receiver };
  }

  it('SIGTERM: the stream stops, FFmpeg exits, the process exits 0', async () => {
    const { proc, ffmpegPid, receiver } = await startChild();
    proc.kill('SIGTERM');
    const result = await proc;
    expect(result.exitCode).toBe(0);
    expect(isRunning(ffmpegPid)).toBe(false);
    // FFmpeg finished the FLV properly, so the receiver saw a clean end of stream.
    expect((await receiver.done).exitCode).toBe(0);
  });

  it('SIGKILL of Node: the orphaned FFmpeg sees its input end and exits by itself', async () => {
    const { proc, ffmpegPid, receiver } = await startChild();
    proc.kill('SIGKILL');
    await proc;
    await until('the orphaned FFmpeg to exit', () => !isRunning(ffmpegPid), 10_000);
    await receiver.done;
  });
});
