/**
 * A real push to a real receiver (`ffmpeg -listen`, 300 ms away behind a relay, as an ingest server is), then
 * ffprobe and a decoded frame: what ingest servers and viewers would actually get.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStream, type StreamHandle } from '../src/encoder/index.ts';
import { ffprobeJson, frameAt, freePort, listenOnce, slowRelay } from './helpers/rtmp.ts';
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
  /** What FFmpeg wrote to stderr (the supervisor logs a session's first lines). */
  const stderr: string[] = [];
  /**
   * Slot times (ms) of the drawn frames FFmpeg took, in order. The first is the one FFmpeg probes its input with; the
   * frames drawn while it then opens its output are not sent, and from the second on every slot is.
   */
  const written: number[] = [];
  /** Slot time of the first frame drawn: the palette counts seconds from it. */
  let firstT = 0;
  const colourAt = (t: number) => PALETTE[Math.floor((t - firstT) / 1000) % PALETTE.length]!;

  beforeAll(async () => {
    const port = await freePort();
    const receiver = await listenOnce(port, '/live/fmt', file);
    // The RTMP handshake takes as long as it would with a distant ingest server: FFmpeg's start is slow, as in
    // production, and frames drawn meanwhile must not pile up in its input queue.
    const relay = await slowRelay(port, 300);
    const frames = PALETTE.map(solid);
    let calls = 0;
    const stream: StreamHandle = startStream({
      streamKey: 'fmt',
      rtmpUrl: `rtmp://127.0.0.1:${relay.port}/live`,
      width: W,
      height: H,
      fps: FPS,
      bitrate: '1500k',
      preset: 'ultrafast',
      audio: 'music',
      frame: (t) => {
        if (calls++ === 0) firstT = t;
        return { rgba: frames[PALETTE.indexOf(colourAt(t))]!, sfx: calls % 20 === 0 ? ['punch'] : [] };
      },
      onFrameWritten: (t) => written.push(t),
      log: (e, f) => {
        events.push(e);
        if (e === 'ffmpeg-stderr') stderr.push(String(f?.line));
      },
    });
    try {
      await until('the stream to go live', () => stream.stats().state === 'live', 10_000);
      await until(`${SECONDS} s of frames`, () => calls >= SECONDS * FPS, 15_000);
    } finally {
      await stream.stop();
    }
    const got = await receiver.done;
    await relay.close();
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

  it('is H.264 Main or High profile with CABAC, as YouTube and Twitch ask', async () => {
    const { streams } = await ffprobeJson(file, ['-select_streams', 'v', '-show_streams']);
    expect(['Main', 'High']).toContain(streams[0].profile);
    // x264 writes its settings into the stream (an SEI message): CABAC on is cabac=1.
    expect(readFileSync(file).toString('latin1')).toMatch(/x264 - core \d+.* cabac=1 /);
  });

  it('starts without FFmpeg warning that its input queue blocked', () => {
    expect(events).toContain('ffmpeg-start');
    expect(stderr.filter((l) => /thread message queue|thread_queue_size/i.test(l))).toEqual([]);
  });

  it('has a keyframe every 2 seconds, and only then', async () => {
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=key_frame,pts_time']);
    const keys = frames.filter((f: { key_frame: number }) => f.key_frame === 1).map((f: { pts_time: string }) => Number(f.pts_time));
    expect(frames.length).toBeGreaterThan((SECONDS - 1) * FPS);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < keys.length; i++) expect(keys[i]! - keys[i - 1]!).toBeCloseTo(2, 2);
  });

  it('keeps audio and video the same length, and as long as the clock ran once FFmpeg took frames', async () => {
    const { streams } = await ffprobeJson(file, ['-count_packets', '-show_entries', 'stream=codec_type,duration,nb_read_packets']);
    const { packets } = await ffprobeJson(file, ['-select_streams', 'a', '-show_entries', 'packet=pts_time']);
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
    const audioEnd = Number(packets.at(-1).pts_time);
    const videoEnd = Number(frames.at(-1).pts_time);
    expect(streams.length).toBe(2);
    expect(Math.abs(audioEnd - videoEnd)).toBeLessThan(0.1);
    // Frame-count timestamps: a skipped slot that was not filled would leave the media behind the clock. The last
    // frame's time is the probe frame's 1/FPS plus the time from the first frame sent after it to the last.
    const fedSeconds = 1 / FPS + (written.at(-1)! - written[1]!) / 1000;
    expect(Math.abs(videoEnd - fedSeconds)).toBeLessThan(0.08);
    // What FFmpeg's start-up cost: the frames drawn while it opened its output, not sent (well under a second).
    expect(written[1]! - written[0]!).toBeLessThan(2000);
  });

  it('decodes to the drawn colours within ±2 per channel', async () => {
    const { frames } = await ffprobeJson(file, ['-select_streams', 'v', '-show_entries', 'frame=pts_time']);
    const videoEnd = Number(frames.at(-1).pts_time);
    let checked = 0;
    for (let second = 0; second < SECONDS; second++) {
      // The middle of the second the palette showed colour `second`, in media time (see `written`).
      const t = firstT + (second + 0.5) * 1000;
      const media = 1 / FPS + (t - written[1]!) / 1000;
      if (media < 0.1 || media > videoEnd - 0.1) continue;
      const rgb = await frameAt(file, media, W, H);
      const centre = ((H / 2) * W + W / 2) * 3;
      const got = [rgb[centre], rgb[centre + 1], rgb[centre + 2]];
      const drew = colourAt(t);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - drew[c]!), `second ${second}: got ${got}, drew ${drew}`).toBeLessThanOrEqual(2);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
