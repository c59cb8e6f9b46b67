/**
 * Encoder cost at 720p30: one supervised stream into a local receiver (`ffmpeg -listen`, output discarded) for
 * N seconds, then CPU of Node and of the pushing FFmpeg, encoder speed, dropped frames and RSS of both.
 *
 *   node render-node/bench/encode.ts [seconds=60] [draw-module]
 *
 * Without a draw module the frames are pre-made (drawing costs nothing), so this measures the encoder path
 * alone. A draw module exports `benchDraw(t: number): Buffer` (1280x720 RGBA) to measure scene + encoder.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { startStream } from '../src/encoder/index.ts';

const W = 1280;
const H = 720;
const FPS = 30;
const seconds = Number(process.argv[2] ?? 60);
const drawModule = process.argv[3];

const port = await new Promise<number>((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => done(port));
  });
});
const receiver = execa('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-listen', '1', '-i', `rtmp://127.0.0.1:${port}/live/bench`, '-c', 'copy', '-f', 'null', '-'], {
  reject: false,
});
await new Promise((r) => setTimeout(r, 500));

let draw: (t: number) => Buffer;
if (drawModule) {
  const mod = (await import(resolve(drawModule))) as { benchDraw: (t: number) => Buffer };
  draw = mod.benchDraw;
} else {
  // 30 distinct frames (moving bars) so x264 has real motion to encode.
  const frames = Array.from({ length: FPS }, (_, k) => {
    const buf = Buffer.alloc(W * H * 4);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const band = Math.floor((x + k * 16) / 80) % 6;
        buf[i] = band * 40;
        buf[i + 1] = (y >> 2) & 255;
        buf[i + 2] = 255 - band * 40;
        buf[i + 3] = 255;
      }
    }
    return buf;
  });
  let n = 0;
  draw = () => frames[n++ % frames.length]!;
}

const hits = ['punch', 'kick', 'special', 'ko'] as const;
let calls = 0;
const stream = startStream({
  streamKey: 'bench',
  rtmpUrl: `rtmp://127.0.0.1:${port}/live`,
  width: W,
  height: H,
  fps: FPS,
  bitrate: '3000k',
  preset: 'ultrafast',
  audio: 'music',
  frame: (t) => ({ rgba: draw(t), sfx: ++calls % 45 === 0 ? [hits[(calls / 45) % 4]!] : [] }),
  log: (event, fields) => {
    if (event !== 'stream-live' && event !== 'ffmpeg-start') console.error(event, JSON.stringify(fields));
  },
});

const clockTicks = 100; // USER_HZ on Linux
const procCpu = (pid: number | undefined) => {
  if (!pid) return 0;
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const stat = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(stat[11]) + Number(stat[12])) / clockTicks;
};
const procRssMb = (pid: number | undefined) => {
  if (!pid) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

// Measure from the moment the stream is live, not from FFmpeg's start-up.
while (stream.stats().state !== 'live') await new Promise((r) => setTimeout(r, 50));
const pid = stream.ffmpegPid();
const cpu0 = process.cpuUsage();
const ff0 = procCpu(pid);
const t0 = performance.now();
const dropped0 = stream.stats().droppedFrames;
let peakNodeRss = 0;
let peakFfRss = 0;
const sampler = setInterval(() => {
  peakNodeRss = Math.max(peakNodeRss, process.memoryUsage().rss / 2 ** 20);
  peakFfRss = Math.max(peakFfRss, procRssMb(stream.ffmpegPid()));
}, 1000);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(sampler);

const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const stats = stream.stats();
const samePid = stream.ffmpegPid() === pid;
const result = {
  seconds: Math.round(wall),
  nodeCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 1000) / 10,
  ffmpegCpuPct: samePid ? Math.round(((procCpu(pid) - ff0) / wall) * 1000) / 10 : 'ffmpeg restarted during the run',
  fps: stats.fps,
  speed: stats.speed,
  droppedFrames: stats.droppedFrames - dropped0,
  restarts: stats.restarts,
  peakRssMb: { node: Math.round(peakNodeRss), ffmpeg: Math.round(peakFfRss) },
};
await stream.stop();
await receiver;
console.log(JSON.stringify(result, null, 2));
