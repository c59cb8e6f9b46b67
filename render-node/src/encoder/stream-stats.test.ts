import { StreamStatus } from '@stream-fighter/core';
import { expect, it } from 'vitest';
import { createCounters, createFpsWindow, setError, streamStatus } from './stream-stats.ts';

it('reports rates and uptime only while live, in the shape core accepts', () => {
  const c = createCounters();
  Object.assign(c, { state: 'live', fps: 29.97, droppedFrames: 3, restarts: 1 });
  const live = streamStatus('key', c, { speed: 1.01, liveAt: 1_000 }, 62_500);
  expect(live).toEqual({ streamKey: 'key', state: 'live', fps: 30, speed: 1.01, droppedFrames: 3, restarts: 1, uptimeSec: 61 });
  expect(StreamStatus.parse(live)).toEqual(live);

  c.state = 'retrying';
  setError(c, `ffmpeg exited with code 1: ${'x'.repeat(1000)}`);
  const retrying = streamStatus('key', c, null, 70_000);
  expect(retrying).toMatchObject({ state: 'retrying', fps: 0, speed: 0, uptimeSec: 0, droppedFrames: 3, restarts: 1 });
  expect(retrying.error).toHaveLength(300);
  expect(StreamStatus.parse(retrying)).toEqual(retrying);
});

it('measures fps over windows of at least a second', () => {
  const w = createFpsWindow(0, 0);
  expect(w.close(999, 30)).toBeUndefined();
  expect(w.close(1_000, 30)).toBe(30);
  expect(w.close(2_500, 75)).toBe(30);
  expect(w.close(3_000, 90)).toBeUndefined();
});
