import { execFileSync } from 'node:child_process';
import { it, expect } from 'vitest';
import { startRtmpSink } from './rtmp-sink.ts';
it('sink', async () => {
  const sink = await startRtmpSink();
  execFileSync('ffmpeg', ['-hide_banner','-loglevel','error','-re','-f','lavfi','-i','testsrc2=size=320x240:rate=30','-t','2','-c:v','libx264','-preset','ultrafast','-f','flv', `${sink.url}/abc`]);
  await sink.stop();
  expect(sink.published).toEqual(['/live/abc']);
});
