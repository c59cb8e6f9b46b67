import { createServer } from 'node:net';
import { expect, it, vi } from 'vitest';
import { startStream, type StreamOptions } from './stream.ts';

const base: StreamOptions = {
  streamKey: 'unit',
  rtmpUrl: 'rtmp://127.0.0.1:1/live',
  width: 64,
  height: 36,
  fps: 30,
  bitrate: '300k',
  preset: 'ultrafast',
  audio: 'bed',
  frame: () => ({ rgba: Buffer.alloc(64 * 36 * 4), sfx: [] }),
  log: () => {},
};

it('reports a configuration error as state error, without retrying or drawing', async () => {
  let calls = 0;
  const s = startStream({ ...base, width: 63, frame: () => (calls++, base.frame(0)) });
  expect(s.stats()).toMatchObject({ state: 'error', restarts: 0, error: expect.stringMatching(/even/) });
  await new Promise((r) => setTimeout(r, 100));
  expect(calls).toBe(0);
  await s.stop();
  expect(s.stats().state).toBe('error');
});

/** A TCP listener on 127.0.0.1 that accepts and drops connections: a target the probe finds, whatever FFmpeg does. */
async function listener(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, close: () => new Promise((r) => server.close(() => r())) };
}

it('keeps drawing and retries with growing delays, capped, when FFmpeg cannot even start', async () => {
  const target = await listener();
  const events: Array<[string, Record<string, unknown> | undefined]> = [];
  let calls = 0;
  const s = startStream({
    ...base,
    rtmpUrl: `rtmp://127.0.0.1:${target.port}/live`,
    ffmpegPath: '/nonexistent/ffmpeg',
    frame: () => (calls++, base.frame(0)),
    log: (e, f) => events.push([e, f]),
    backoff: { firstMs: 50, capMs: 200 },
  });
  await new Promise((r) => setTimeout(r, 1000));
  const stats = s.stats();
  await s.stop();
  await target.close();
  expect(stats.state).toBe('retrying');
  expect(stats.error).toMatch(/ENOENT|nonexistent/);
  expect(stats.restarts).toBeGreaterThanOrEqual(4);
  expect(calls).toBeGreaterThan(20);
  // 50 → 100 → 200 → 200 …: only the first failures in a row are logged, so a stream refused for weeks stays readable.
  const delays = events.filter(([e]) => e === 'stream-retry').map(([, f]) => f?.inMs);
  expect(delays).toEqual([50, 100, 200]);
  expect(events.filter(([e]) => e === 'ffmpeg-start')).toHaveLength(3);
  expect(s.stats().state).toBe('stopped');
});

it('after the first FFmpeg, starts no other while the target refuses connections, and one as soon as it listens', async () => {
  const closed = await listener();
  await closed.close();
  const events: Array<{ e: string; at: number; f?: Record<string, unknown> }> = [];
  let calls = 0;
  const s = startStream({
    ...base,
    rtmpUrl: `rtmp://127.0.0.1:${closed.port}/live`,
    ffmpegPath: '/nonexistent/ffmpeg',
    frame: () => (calls++, base.frame(0)),
    log: (e, f) => events.push({ e, at: performance.now(), f }),
    backoff: { pollMs: 100 },
  });
  try {
    await new Promise((r) => setTimeout(r, 800));
    // The first FFmpeg finds out by itself (it fails: no binary); from then on the probe decides.
    expect(events.filter((x) => x.e === 'ffmpeg-start')).toHaveLength(1);
    expect(events.filter((x) => x.e === 'rtmp-unreachable')).toHaveLength(1);
    expect(s.stats()).toMatchObject({ state: 'retrying', restarts: 0, error: expect.stringMatching(/unreachable.*ECONNREFUSED/) });
    expect(calls).toBeGreaterThan(15); // the scene stays current

    const target = await listener(closed.port);
    const listeningAt = performance.now();
    try {
      const starts = () => events.filter((x) => x.e === 'ffmpeg-start');
      await vi.waitFor(() => expect(starts(), 'an FFmpeg start after the target listened').toHaveLength(2), { timeout: 2000, interval: 10 });
      expect(starts()[1]!.at - listeningAt).toBeLessThan(500);
      expect(events.map((x) => x.e)).toContain('rtmp-reachable');
    } finally {
      await target.close();
    }
  } finally {
    await s.stop();
  }
});

it('starts FFmpeg anyway once the probe has refused for blindMs, in case the probe is wrong', async () => {
  const closed = await listener();
  await closed.close();
  const events: string[] = [];
  const s = startStream({
    ...base,
    rtmpUrl: `rtmp://127.0.0.1:${closed.port}/live`,
    ffmpegPath: '/nonexistent/ffmpeg',
    log: (e) => events.push(e),
    backoff: { pollMs: 50, blindMs: 300 },
  });
  try {
    await vi.waitFor(() => expect(events.filter((e) => e === 'ffmpeg-start'), 'a second FFmpeg, started blind').toHaveLength(2), { timeout: 2000, interval: 20 });
    expect(events).toContain('rtmp-still-unreachable');
  } finally {
    await s.stop();
  }
});

it('ignores sound names it does not know and frames of the wrong size, and says so', async () => {
  const events: string[] = [];
  const s = startStream({
    ...base,
    ffmpegPath: '/nonexistent/ffmpeg',
    frame: () => ({ rgba: Buffer.alloc(10), sfx: ['boom', 42] }),
    log: (e) => events.push(e),
  });
  await new Promise((r) => setTimeout(r, 200));
  await s.stop();
  expect(events).toContain('frame-error');
  expect(s.latestFrame()).toBeNull();
});
