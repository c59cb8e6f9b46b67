import { expect, it } from 'vitest';
import { createProgressParser, type FfmpegProgress } from './progress.ts';

it('parses progress blocks split across chunks', () => {
  const seen: FfmpegProgress[] = [];
  const feed = createProgressParser((p) => seen.push(p));
  feed('frame=90\nfps=30.00\nout_time_us=3008000\nspe');
  feed('ed=1.01x\nprogress=continue\nframe=120\nfps=N/A\nspeed=N/A\nprogress=end\n');
  expect(seen).toEqual([
    { frame: 90, fps: 30, speed: 1.01, outTimeSec: 3.008, end: false },
    { frame: 120, fps: 0, speed: 0, outTimeSec: 0, end: true },
  ]);
});
