/**
 * A real push to a real receiver (`ffmpeg -listen`), then ffprobe and a decoded frame: what ingest servers and
 * viewers would actually get.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStream, type StreamHandle } from '../src/encoder/index.ts';
import { ffprobeJson, frameAt, freePort, listenOnce } from './helpers/rtmp.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

const W = 640;
const H = 360;
const FPS = 30;
const SECONDS = 5.5;
/** One colour per second of stream; the pixel test reads each back from the middle of its second. */
const PALETTE: Array<[number, number, number]> = [
  [200, 40, 40],
  [40, 180, 70],
  [30, 60, 200],
  [128, 128, 128],
  [235, 200, 30],
];

function solid([r, g, b]: [number, number, number]): Buffer {
  const buf = Buffer.alloc(W * H * 4);
  for (let i = 0; i < buf.length; i += 4) {
    buf[i] = r;
    buf[i + 1] = g;
    buf[i + 2] = b;
    buf[i + 3] = 255;
  }
  return buf;
}

describe('a pushed stream, as the receiver got it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-stream-'));
  const file = join(dir, 'out.flv');
  const events: string[] = [];
  /** Wall time from the first frame drawn to stop(): the media should span the same. */
  let wallSeconds = 0;

  beforeAll(async () => {
    const port = await freePort();
    const receiver = await listenOnce(port, '/live/fmt', file);
    const frames = PALETTE.map(solid);
    let calls = 0;
    let firstCallAt = 0;
    const stream: StreamHandle = startStream({
      streamKey: 'fmt',
      rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
      width: W,
      height: H,
      fps: FPS,
      bitrate: '1500k',
      preset: 'ultrafast',
      audio: 'music',
      frame: () => {
        if (calls === 0) firstCallAt = performance.now();
        const i = Math.floor(calls++ / FPS);
        return { rgba: frames[i % frames.length]!, sfx: calls % 20 === 0 ? ['punch'] : [] };
      },
      log: (e) => events.push(e),
    });
    try {
      await until('the stream to go live', () => stream.stats().state === 'live', 10_000);
      await until(`${SECONDS} s of frames`, () => calls >= SECONDS * FPS, 15_000);
    } finally {
      wallSeconds = (performance.now() - firstCallAt) / 1000;
      await stream.stop();
    }
    const got = await receiver.done;
    expect(got.exitCode, got.stderr).toBe(0);
    expect(stream.stats()).toMatchObject({ state: 'stopped', restarts: 0 });
  }, 40_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is H.264 at the configured size and rate, and AAC 48 kHz stereo', async () => {
    const { streams, format } = await ffprobeJson(file, ['-show_streams', '-show_format']);
    const video = streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    const audio = streams.find((s: { codec_type: string }) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: W, height: H, pix_fmt: 'yuv420p', r_frame_rate: '30/1', color_space: 'bt709' });
    expect(audio).toMatchObject({ codec_name: 'aac', profile: 'LC', sample_rate: '48000', channels: 2 });
    expect(Number(format.duration)).toBeGreaterThan(SECONDS - 1);
    expect(events).toContain('stream-live');
  });

  it('has a keyframe every 2 seconds, and only then', async () => {
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=key_frame,pts_time']);
    const keys = frames.filter((f: { key_frame: number }) => f.key_frame === 1).map((f: { pts_time: string }) => Number(f.pts_time));
    expect(frames.length).toBeGreaterThan((SECONDS - 1) * FPS);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < keys.length; i++) expect(keys[i]! - keys[i - 1]!).toBeCloseTo(2, 2);
  });

  it('keeps audio and video the same length, and as long as the wall-clock time it ran', async () => {
    const { streams } = await ffprobeJson(file, ['-count_packets', '-show_entries', 'stream=codec_type,duration,nb_read_packets']);
    const { packets } = await ffprobeJson(file, ['-select_streams', 'a', '-show_entries', 'packet=pts_time']);
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
    const audioEnd = Number(packets.at(-1).pts_time);
    const videoEnd = Number(frames.at(-1).pts_time);
    expect(streams.length).toBe(2);
    expect(Math.abs(audioEnd - videoEnd)).toBeLessThan(0.1);
    // Frame-count timestamps: a skipped slot that was not filled would leave the media behind the clock.
    expect(Math.abs(videoEnd - wallSeconds)).toBeLessThan(0.08);
  });

  it('decodes to the drawn colours within ±2 per channel', async () => {
    for (let i = 0; i < 5; i++) {
      const rgb = await frameAt(file, i + 0.5, W, H);
      const centre = ((H / 2) * W + W / 2) * 3;
      const got = [rgb[centre], rgb[centre + 1], rgb[centre + 2]];
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - PALETTE[i]![c]!), `second ${i}: got ${got}, drew ${PALETTE[i]}`).toBeLessThanOrEqual(2);
    }
  });
});
