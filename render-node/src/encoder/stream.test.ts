import { expect, it } from 'vitest';
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

it('keeps drawing and retries with growing delays when FFmpeg cannot even start', async () => {
  const events: Array<[string, Record<string, unknown> | undefined]> = [];
  let calls = 0;
  const s = startStream({
    ...base,
    ffmpegPath: '/nonexistent/ffmpeg',
    frame: () => (calls++, base.frame(0)),
    log: (e, f) => events.push([e, f]),
    backoff: { firstMs: 50, capMs: 200 },
  });
  await new Promise((r) => setTimeout(r, 1000));
  const stats = s.stats();
  await s.stop();
  expect(stats.state).toBe('retrying');
  expect(stats.error).toMatch(/ENOENT|nonexistent/);
  expect(stats.restarts).toBeGreaterThanOrEqual(3);
  expect(calls).toBeGreaterThan(20);
  const delays = events.filter(([e]) => e === 'stream-retry').map(([, f]) => f?.inMs);
  expect(delays.slice(0, 4)).toEqual([50, 100, 200, 200]);
  expect(s.stats().state).toBe('stopped');
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
