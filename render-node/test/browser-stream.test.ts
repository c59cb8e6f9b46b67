/**
 * A stream of a web page, end to end: a local page drawn by Chromium, captured by the browser source, pushed by the
 * same encoder as the canvas path to a real RTMP receiver (`ffmpeg -listen`). Midway the page's renderer is killed;
 * the stream goes on (same FFmpeg, no black frames) and the page is back. ffprobe and decoded frames check it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSource, type BrowserSource } from '../src/browser/browser-source.ts';
import { chromiumLaunch } from '../src/browser/chromium.ts';
import { killRenderers } from '../src/browser/testing/kill-renderers.ts';
import { startPageServer, type PageServer } from '../src/browser/testing/page-server.ts';
import { startStream } from '../src/encoder/index.ts';
import { ffprobeJson, frameAt, freePort, listenOnce } from './helpers/rtmp.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const W = 640;
const H = 360;
const FPS = 30;
const SECONDS = 6;
const BG = [40, 90, 200] as const;

/** RGB24 at (x, y). */
const rgbAt = (rgb: Buffer, x: number, y: number) => [...rgb.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
/** x264 at 1.5 Mb/s (and its 4:2:0 colour): a few steps per channel either way. */
const near = (px: number[], want: readonly number[], tol = 16) => px.every((v, i) => Math.abs(v - want[i]!) <= tol);

describe('a stream of a web page, as the receiver got it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-browser-stream-'));
  const file = join(dir, 'out.flv');
  const events: string[] = [];
  let server: PageServer;
  let source: BrowserSource;
  let pagesBeforeKill = 0;
  /** Media time (s) at which the renderer was killed, from the frames written so far. */
  let killedAtMedia = 0;
  let ffmpegRestarts = -1;

  beforeAll(async () => {
    server = await startPageServer();
    source = createBrowserSource({
      url: `${server.url}?bg=${BG.join(',')}`,
      width: W,
      height: H,
      launch: chromiumLaunch(process.env),
      log: (e) => events.push(e),
    });
    await until('the first frame of the page', () => source.stats().framesIn > 0, 20_000);

    const port = await freePort();
    const receiver = await listenOnce(port, '/live/page', file);
    let written = 0;
    const stream = startStream({
      streamKey: 'page',
      rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
      width: W,
      height: H,
      fps: FPS,
      bitrate: '1500k',
      preset: 'ultrafast',
      audio: 'bed',
      frame: (t) => source.frame(t),
      onFrameWritten: () => written++,
      log: (e) => events.push(e),
    });
    try {
      await until('the stream to go live', () => stream.stats().state === 'live', 15_000);
      await until('2 s of frames in FFmpeg', () => written >= 2 * FPS, 10_000);
      pagesBeforeKill = source.stats().pagesOpened;
      killedAtMedia = written / FPS;
      await killRenderers(source.page());
      await until('the page to be back after its renderer was killed', () => source.stats().pagesOpened > pagesBeforeKill, 5_000);
      await until(`${SECONDS} s of frames in FFmpeg`, () => written >= SECONDS * FPS, 15_000);
      ffmpegRestarts = stream.stats().restarts;
    } finally {
      await stream.stop();
    }
    const got = await receiver.done;
    expect(got.exitCode, got.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await source?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is H.264 at the configured size and 30 fps, with the AAC audio track', async () => {
    const { streams, format } = await ffprobeJson(file, ['-show_streams', '-show_format']);
    const video = streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    const audio = streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: W, height: H, pix_fmt: 'yuv420p', r_frame_rate: '30/1' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(format.duration)).toBeGreaterThan(SECONDS - 1.5);
  });

  it('shows the page, moving, before and after its renderer was killed, and never a black frame', async () => {
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
    const end = Number(frames.at(-1).pts_time);
    const boxRow = Math.round(H * 0.2);
    const rows: string[] = [];
    for (let t = 0.5; t < end - 0.1; t += 0.5) {
      const rgb = await frameAt(file, t, W, H);
      const bg = rgbAt(rgb, W / 2, Math.round(H * 0.8));
      expect(near(bg, BG), `background at ${t} s is ${bg.join(',')} (killed at ${killedAtMedia.toFixed(1)} s)`).toBe(true);
      // Where the white box is along its row: it crosses the frame in 8 s, so it moves between samples.
      let x = 0;
      while (x < W && !near(rgbAt(rgb, x, boxRow), [255, 255, 255], 40)) x++;
      rows.push(`${t}:${x}`);
    }
    const positions = rows.map((r) => Number(r.split(':')[1]));
    expect(new Set(positions).size, `box positions ${rows.join(' ')}`).toBeGreaterThan(positions.length / 2);
    expect(positions.every((x) => x < W)).toBe(true);
  });

  it('kept one FFmpeg through the page crash (the page came back underneath)', () => {
    expect(ffmpegRestarts).toBe(0);
    expect(events).toContain('browser.page-restart');
    expect(source.stats().pagesOpened).toBeGreaterThan(pagesBeforeKill);
  });
});
