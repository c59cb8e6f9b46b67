/**
 * What a platform measures: a minute of the mixer's PCM, encoded to AAC in FLV with the stream's own audio options
 * (buildFfmpegArgs), decoded again and measured by FFmpeg's `ebur128` (BS.1770 integrated loudness and true peak).
 * The video path plays no part in the sound, so it is left out: a minute of audio encodes in about a second.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAudioMixer, samplesForFrame, type AudioMode } from '../src/encoder/audio-mixer.ts';
import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE, buildFfmpegArgs } from '../src/encoder/ffmpeg-args.ts';
import { findFfmpeg } from '../src/encoder/find-ffmpeg.ts';
import type { Sfx } from '../src/encoder/synth.ts';
import { DEFAULT_LOUDNESS_LUFS } from '../src/audio/levels.ts';

const FPS = 30;
const SECONDS = 60;
const ffmpeg = findFfmpeg();
const dir = mkdtempSync(join(tmpdir(), 'sf-loudness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The stream's audio encoder options, taken from the production command line so the two cannot drift apart. */
function audioEncoderArgs(): string[] {
  const args = buildFfmpegArgs({ rtmpUrl: 'rtmp://127.0.0.1/live', streamKey: 'k', width: 64, height: 36, fps: FPS, bitrate: '1000k', preset: 'ultrafast' });
  const out: string[] = [];
  for (const flag of ['-c:a', '-profile:a', '-b:a']) {
    const i = args.lastIndexOf(flag);
    if (i < 0) throw new Error(`the stream's FFmpeg arguments have no ${flag}`);
    out.push(flag, args[i + 1]!);
  }
  return out;
}

/**
 * A busy minute as a round plays it: the intro's "3, 2, 1" and the bell, then hits in bursts (a combo of five in
 * two seconds, a pause, a single, …) about one a second, the KO at 50 s and the results' fanfare four seconds on.
 */
function busySchedule(): Map<number, Sfx[]> {
  const at = new Map<number, Sfx[]>();
  const add = (s: number, kind: Sfx) => {
    const frame = Math.round(s * FPS);
    at.set(frame, [...(at.get(frame) ?? []), kind]);
  };
  for (const s of [2, 3, 4]) add(s, 'countdown');
  add(5, 'round-start');
  const kinds: Sfx[] = ['punch', 'kick', 'punch', 'special', 'punch', 'kick'];
  let n = 0;
  for (let s = 7; s < 49; s += 4.5) {
    for (let i = 0; i < 5; i++) add(s + i * 0.4, kinds[n++ % kinds.length]!);
  }
  add(50, 'ko');
  add(54, 'result');
  return at;
}

/** The mixer's minute as a 30 fps stream asks for it, encoded as the stream encodes it; ebur128's summary. */
async function measure(mode: AudioMode, schedule: Map<number, Sfx[]>, name: string, loudnessLufs = DEFAULT_LOUDNESS_LUFS) {
  const mixer = createAudioMixer(mode, { loudnessLufs });
  const file = join(dir, `${name}.flv`);
  await run([
    '-hide_banner', '-loglevel', 'error',
    '-f', 's16le', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', String(AUDIO_CHANNELS), '-i', 'pipe:0',
    ...audioEncoderArgs(), '-ar', String(AUDIO_SAMPLE_RATE), '-ac', String(AUDIO_CHANNELS), '-f', 'flv', '-y', file,
  ], (stdin) => {
    for (let k = 0; k < SECONDS * FPS; k++) {
      for (const kind of schedule.get(k) ?? []) mixer.trigger(kind);
      stdin.write(mixer.render(samplesForFrame(k, FPS)));
    }
  });
  // -v verbose for the per-100-ms lines (momentary loudness); the summary comes at the end.
  const log = await run(['-hide_banner', '-nostats', '-v', 'verbose', '-i', file, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1]);
  const momentary = [...log.matchAll(/t:\s*([\d.]+)\s+TARGET:\S+ LUFS\s+M:\s*(-?[\d.]+|-inf)/g)].map((m) => ({ t: Number(m[1]), m: Number(m[2]) }));
  if (!Number.isFinite(integrated) || !Number.isFinite(truePeak) || momentary.length < SECONDS * 9) {
    throw new Error(`could not read ebur128's figures from:\n${log.slice(-2000)}`);
  }
  return { integrated, truePeak, momentary };
}

/** Runs FFmpeg (writing stdin with `feed`, if given) with a time limit; resolves with its stderr. */
function run(args: string[], feed?: (stdin: NodeJS.WritableStream) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(err);
      else reject(new Error(`ffmpeg ${args.join(' ')} exited ${code} (killed after 60 s if it ran that long):\n${err.slice(-2000)}`));
    });
    child.stdin.on('error', () => {}); // a dead FFmpeg is reported by its exit code above
    if (feed) feed(child.stdin);
    child.stdin.end();
  });
}

describe.each(['bed', 'music'] as const)('the %s program, encoded to AAC as the stream is, measured by ebur128', (mode) => {
  const target = DEFAULT_LOUDNESS_LUFS;

  it('an idle minute and a busy minute are both within 2 LU of the target, true peak at most −1 dBTP, hits well over the bed', async () => {
    const idle = await measure(mode, new Map(), `${mode}-idle`);
    const busy = await measure(mode, busySchedule(), `${mode}-busy`);
    console.info(`${mode}: idle I ${idle.integrated} LUFS, TP ${idle.truePeak} dBTP; busy I ${busy.integrated} LUFS, TP ${busy.truePeak} dBTP`);
    for (const m of [idle, busy]) {
      expect(Math.abs(m.integrated - target)).toBeLessThanOrEqual(2);
      expect(m.truePeak).toBeLessThanOrEqual(-1);
    }
    // The first combo (7–9 s): its loudest 400 ms stands 6 LU or more over the idle program.
    const combo = Math.max(...busy.momentary.filter((x) => x.t >= 7 && x.t <= 9.5).map((x) => x.m));
    expect(combo - idle.integrated).toBeGreaterThanOrEqual(6);
    // The countdown and the bell are heard too: 4 LU or more over idle at each.
    for (const s of [2, 3, 4, 5]) {
      const cue = Math.max(...busy.momentary.filter((x) => x.t >= s && x.t <= s + 0.6).map((x) => x.m));
      expect(cue - idle.integrated).toBeGreaterThanOrEqual(4);
    }
  }, 120_000);
});

describe('AUDIO_LOUDNESS_LUFS', () => {
  it('moves the program: a −20 LUFS target measures −20 ±2 busy, still under −1 dBTP', async () => {
    const busy = await measure('bed', busySchedule(), 'bed-busy-20', -20);
    expect(Math.abs(busy.integrated + 20)).toBeLessThanOrEqual(2);
    expect(busy.truePeak).toBeLessThanOrEqual(-1);
  }, 120_000);
});
