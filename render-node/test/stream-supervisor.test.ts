/**
 * The supervisor against a real receiver (node-media-server in this process): FFmpeg killed mid-stream, the
 * receiver going away and coming back, and a stop that leaves no processes behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { startStream } from '../src/encoder/index.ts';
import { childPids, createNms, freePort, isRunning, listenOnce, type PublishRecord } from './helpers/rtmp.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const W = 320;
const H = 180;
const FPS = 30;
const dir = mkdtempSync(join(tmpdir(), 'sf-nms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A publish that has delivered media: more than headers' worth of bytes. */
const flowing = (p: PublishRecord | undefined) => (p && p.session.inBytes > 20_000 ? p : undefined);

it('restarts a killed FFmpeg within 2 s, rides out the receiver going away, and stops clean', async () => {
  const port = await freePort();
  const nms = createNms(port, dir);
  await nms.start();
  const events: Array<{ event: string; fields?: Record<string, unknown> }> = [];
  const frame = Buffer.alloc(W * H * 4, 0x60);
  let calls = 0;
  const stream = startStream({
    streamKey: 'sup',
    rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
    width: W,
    height: H,
    fps: FPS,
    bitrate: '500k',
    preset: 'ultrafast',
    audio: 'bed',
    frame: () => {
      calls++;
      return { rgba: frame, sfx: [] };
    },
    log: (event, fields) => events.push({ event, fields }),
  });
  try {
    await until('the first publish to flow', () => flowing(nms.publishes[0]), 10_000);
    await until('state live', () => stream.stats().state === 'live', 5000);
    expect(stream.stats()).toMatchObject({ streamKey: 'sup', restarts: 0 });
    expect(stream.stats().error).toBeUndefined();

    // 1. SIGKILL FFmpeg: a new one is publishing within 2 s.
    const firstPid = stream.ffmpegPid()!;
    expect(isRunning(firstPid)).toBe(true);
    const killedAt = performance.now();
    process.kill(firstPid, 'SIGKILL');
    const second = await until('a second publish to flow', () => nms.publishes.length >= 2 && flowing(nms.publishes.at(-1)), 5000, 20);
    expect(second.at - killedAt).toBeLessThan(2000);
    await until('state live again', () => stream.stats().state === 'live', 3000);
    expect(stream.stats().restarts).toBe(1);
    expect(stream.ffmpegPid()).not.toBe(firstPid);
    // Reaped, not a zombie.
    await until('the killed FFmpeg to be reaped', () => !isRunning(firstPid), 2000);
    expect(events.find((e) => e.event === 'ffmpeg-exit')?.fields).toMatchObject({ signal: 'SIGKILL' });

    // 2. The receiver goes away: the stream retries (and keeps drawing); it comes back: the stream resumes.
    await nms.stop();
    await until('state retrying', () => stream.stats().state === 'retrying', 5000);
    const drawnWhileDown = calls;
    await new Promise((r) => setTimeout(r, 2000));
    expect(calls - drawnWhileDown).toBeGreaterThan(FPS); // the scene stays current while nothing is streamed
    expect(stream.stats().error).toBeTruthy();
    const before = nms.publishes.length;
    await nms.start();
    await until('a publish after the receiver came back', () => nms.publishes.length > before && flowing(nms.publishes.at(-1)), 15_000);
    await until('state live after the outage', () => stream.stats().state === 'live', 5000);
    expect(stream.stats().restarts).toBeGreaterThanOrEqual(2);
    expect(stream.stats().error).toBeUndefined();
  } finally {
    // 3. Stop: FFmpeg is told to finish and is gone, and no child of this process is left.
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
}, 60_000);

it('kills and replaces an FFmpeg that stops making progress', async () => {
  const port = await freePort();
  const nms = createNms(port, dir);
  await nms.start();
  const events: string[] = [];
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
    log: (event) => events.push(event),
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
    // Frames that could not be written while FFmpeg was frozen were dropped, not queued.
    expect(stream.stats().droppedFrames).toBeGreaterThan(droppedBefore + FPS);
  } finally {
    await stream.stop();
    await nms.stop();
  }
  expect(childPids(process.pid)).toEqual([]);
}, 30_000);

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
