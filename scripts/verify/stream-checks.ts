/**
 * The stream at the receiver, as FFprobe read it while the votes went on (the probe starts with the round
 * check): H.264 at the expected size, the frame rate, the keyframe interval, AAC audio.
 */
import { assert } from './report.ts';
import type { Check } from './run-checks.ts';
import type { VerifyRun } from './verify-run.ts';

const probeOff = (run: VerifyRun) => () => (run.probe ? undefined : 'VERIFY_RTMP_PLAY_URL is off');
/** The checks after the first read what it got; without a result they have nothing to look at. */
const noFacts = (run: VerifyRun) => () => probeOff(run)() ?? (run.facts ? undefined : 'no probe result');

export function streamVideo(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'stream: video h264 + size',
    timeoutMs: 40_000,
    skip: probeOff(run),
    async run() {
      const facts = await run.probe!;
      run.facts = facts;
      const v = facts.video;
      assert(v, `no video stream (${facts.videoFrames} video frames read)`);
      assert(v.codec === 'h264', `codec ${v.codec}`);
      assert(v.width === cfg.width && v.height === cfg.height, `${v.width}x${v.height}, expected ${cfg.width}x${cfg.height}`);
      return `h264 ${v.profile ?? ''} ${v.width}x${v.height}; ${facts.videoFrames} frames over ${facts.spanSec.toFixed(2)} s of stream`;
    },
  };
}

export function streamFrameRate(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'stream: frame rate',
    timeoutMs: 1_000,
    skip: noFacts(run),
    async run() {
      const f = run.facts!;
      const fps = f.measuredFps;
      assert(fps !== null, 'too few frames to measure');
      assert(Math.abs(fps - cfg.VERIFY_FPS) <= cfg.VERIFY_FPS * 0.05, `${fps.toFixed(2)} fps measured, expected ${cfg.VERIFY_FPS} ± 5%`);
      return `${fps.toFixed(2)} fps from frame timestamps (declared ${f.video?.declaredFps?.toFixed(2) ?? '?'})`;
    },
  };
}

export function streamKeyframes(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'stream: keyframe interval',
    timeoutMs: 1_000,
    skip: noFacts(run),
    async run() {
      const f = run.facts!;
      const iv = f.keyframeIntervals;
      assert(iv.length >= 2, `only ${iv.length + 1} keyframes in ${f.spanSec.toFixed(1)} s (intervals ${iv.join(', ') || 'none'})`);
      const off = iv.filter((x) => Math.abs(x - cfg.VERIFY_KEYFRAME_SEC) > Math.max(0.1, 1.5 / cfg.VERIFY_FPS));
      assert(off.length === 0, `intervals ${iv.map((x) => `${x.toFixed(3)} s`).join(', ')}; expected ${cfg.VERIFY_KEYFRAME_SEC} s`);
      return `${iv.length} intervals: ${iv.map((x) => `${x.toFixed(3)} s`).join(', ')}`;
    },
  };
}

export function streamAudio(run: VerifyRun): Check {
  return {
    name: 'stream: audio aac',
    timeoutMs: 1_000,
    skip: noFacts(run),
    async run() {
      const f = run.facts!;
      const a = f.audio;
      assert(a, 'no audio stream');
      assert(a.codec === 'aac', `codec ${a.codec}`);
      assert(f.audioFrames > 0, 'an audio stream with no frames');
      return `aac ${a.profile ?? ''} ${a.sampleRate ?? '?'} Hz, ${a.channels ?? '?'} ch, ${f.audioFrames} frames`;
    },
  };
}
