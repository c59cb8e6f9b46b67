/**
 * The mix's levels, set once at start from the sounds themselves: the bed a little under the program target, each
 * sound a set number of LU over it at its loudest moment (400 ms), and every sound already limited under the
 * ceiling on its own, so the limiter on air only has to catch sounds that pile up. Measuring instead of hand-tuning
 * gains means a changed synth or a changed target (AUDIO_LOUDNESS_LUFS) still lands where it should.
 */
import { musicBed, padBed, sfxTables, SFX_KINDS, type Bed, type Sfx } from '../encoder/synth.ts';
import { createLimiter, LIMITER_BLOCK } from './limiter.ts';
import { createLoudnessMeter, gainFor, gatedLoudness, maxMomentaryLoudness, powerOf, weightedEnergy } from './loudness.ts';

export type AudioMode = 'music' | 'bed';

/** The program loudness when AUDIO_LOUDNESS_LUFS is not set: YouTube and Twitch play −14; −16 leaves room for peaks. */
export const DEFAULT_LOUDNESS_LUFS = -16;
/**
 * Sample peak ceiling (dBFS). AAC at 128k overshoots the PCM's sample peak by 1–3 dB on these sounds
 * (inter-sample peaks plus coding noise); −3.5 keeps the encoded true peak at or under −1 dBTP (test/loudness.test.ts).
 */
export const CEILING_DBFS = -3.5;
/** The bed sits this far under the target: hits and cues bring a busy minute up to it, not over it. */
export const BED_LU = -1;
/**
 * Each sound's loudest 400 ms, in LU over the target: hits 7 LU or more over the bed (which also ducks under them),
 * the KO most of all, the cues 5–6 LU over it.
 */
export const SFX_LU: Readonly<Record<Sfx, number>> = { punch: 6.5, kick: 6.5, special: 6.5, ko: 7.5, countdown: 4, 'round-start': 5.5, result: 5 };

const FULL_SCALE = 32767;
/** Playing a mono table on both channels doubles its power: +3.01 LU over its one-channel measure. */
const BOTH_CHANNELS_LU = 10 * Math.log10(2);

export interface MixLevels {
  /** One period of the bed at its level, s16 stereo. */
  loop: Int16Array;
  /** K-weighted mean square of the bed (channels summed, full scale 1). */
  bedPower: number;
  /** The bed's highest sample or halfway point (the limiter's own estimate), s16 units: the bed alone needs no limiting. */
  bedPeak: number;
  /** Every sound at its level, mono s16, each under the ceiling. */
  tables: Record<Sfx, Int16Array>;
  /** Each sound's K-weighted energy as played (both channels), in the same units as bedPower × samples. */
  energy: Record<Sfx, number>;
  /** The ceiling in s16 units. */
  ceiling: number;
  targetLufs: number;
}

const cache = new Map<string, MixLevels>();

/** Levels for a mode, rate and target; shared by every stream of the process (the loop is 1.6–1.9 MB). */
export function mixLevels(mode: AudioMode, sampleRate: number, targetLufs = DEFAULT_LOUDNESS_LUFS): MixLevels {
  const key = `${mode}@${sampleRate}@${targetLufs}`;
  let levels = cache.get(key);
  if (levels) return levels;
  const ceiling = Math.floor(FULL_SCALE * 10 ** (CEILING_DBFS / 20));
  const bed = bedAtLevel(mode === 'music' ? musicBed(sampleRate) : padBed(sampleRate), sampleRate, targetLufs + BED_LU, ceiling);
  const float = sfxTables(sampleRate);
  const tables = {} as Record<Sfx, Int16Array>;
  const energy = {} as Record<Sfx, number>;
  for (const kind of SFX_KINDS) {
    tables[kind] = soundAtLevel(float[kind], sampleRate, targetLufs + SFX_LU[kind], ceiling);
    energy[kind] = 2 * weightedEnergy(toFloat(tables[kind]), 1, sampleRate);
  }
  levels = { loop: bed.loop, bedPower: bed.power, bedPeak: loopPeak(bed.loop), tables, energy, ceiling, targetLufs };
  cache.set(key, levels);
  return levels;
}

/**
 * The bed scaled to `lufs` and limited under the ceiling, as one seamless loop. Worked in chunks: the only
 * period-sized buffers are two of 16 bits (the filtered bed, then the loop), since a few large float buffers at
 * start would stay in the process's memory for good (measured +20 MB RSS).
 */
function bedAtLevel(bed: Bed, sampleRate: number, lufs: number, ceiling: number): { loop: Int16Array; power: number } {
  const frames = bed.period;
  const chunk = new Float32Array(BED_CHUNK * 2);
  const lowPass = createLowPass(sampleRate, 2);
  const each = (fn: (chunk: Float32Array, at: number) => void) => {
    for (let at = 0; at < frames; at += BED_CHUNK) {
      const part = chunk.subarray(0, Math.min(BED_CHUNK, frames - at) * 2);
      part.fill(0);
      bed.render(part, at, part.length / 2);
      lowPass(part);
      fn(part, at);
    }
  };
  // The music's bass and arpeggio are naive square and triangle waves: filtered like the sounds (see
  // createLowPass), first over one period so the filter has settled into the loop, which is then the second period.
  let peak = 0;
  each((part) => {
    for (const x of part) peak = Math.max(peak, Math.abs(x));
  });
  const provisional = (0.9 * FULL_SCALE) / Math.max(peak, 1e-9);
  const filtered = new Int16Array(frames * 2);
  const meter = createLoudnessMeter(2, sampleRate);
  each((part, at) => {
    meter.push(part);
    for (let i = 0; i < part.length; i++) filtered[at * 2 + i] = Math.max(-FULL_SCALE, Math.min(FULL_SCALE, Math.round(part[i]! * provisional)));
  });
  // From the provisional scale to the level: `filtered` holds the bed × provisional, the loop wants it × FULL_SCALE × gain.
  const gain = (gainFor(gatedLoudness(meter.powers()), lufs) * FULL_SCALE) / provisional;

  // Limited as a loop: two periods through the limiter, keeping the second, whose start follows on from the end.
  const limiter = createLimiter({ ceiling, sampleRate, channels: 2 });
  const loop = new Int16Array(frames * 2);
  const block = new Int32Array(LIMITER_BLOCK * 2);
  const out = new Int16Array(LIMITER_BLOCK * 2);
  const blocks = Math.ceil((2 * frames + limiter.latency) / LIMITER_BLOCK);
  let limited = false;
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < LIMITER_BLOCK * 2; i++) block[i] = Math.round(filtered[(b * LIMITER_BLOCK * 2 + i) % filtered.length]! * gain);
    limiter.process(block, out, 0);
    if (limiter.gain < 1) limited = true;
    for (let f = 0; f < LIMITER_BLOCK; f++) {
      const t = b * LIMITER_BLOCK + f - limiter.latency - frames;
      if (t >= 0 && t < frames) {
        loop[2 * t] = out[2 * f]!;
        loop[2 * t + 1] = out[2 * f + 1]!;
      }
    }
  }
  // Untouched by the limiter (the pad), the bed is at `lufs`; limited (the music), measure what is left.
  if (!limited) return { loop, power: powerOf(lufs) };
  const after = createLoudnessMeter(2, sampleRate);
  after.push(loop, 1 / FULL_SCALE);
  return { loop, power: powerOf(gatedLoudness(after.powers())) };
}

const BED_CHUNK = 4096;

/** At most this much more gain than the first guess: 8 dB. */
const MAX_DRIVE = 2.5;

/**
 * A sound scaled so its loudest 400 ms (on both channels) reads `lufs`, limited under the ceiling. Limiting takes
 * some loudness away, so the gain is raised by the shortfall and the sound limited again, up to 8 times and
 * never more than 8 dB of drive (MAX_DRIVE): past that a sound is all limiter, and its squared-off peaks are what AAC
 * overshoots most.
 */
function soundAtLevel(raw: Float32Array, sampleRate: number, lufs: number, ceiling: number): Int16Array {
  const sound = Float32Array.from(raw);
  createLowPass(sampleRate, 1)(sound);
  const first = gainFor(maxMomentaryLoudness(sound, 1, sampleRate) + BOTH_CHANNELS_LU, lufs);
  let gain = first;
  let out = limitMono(sound, gain * FULL_SCALE, ceiling, sampleRate);
  for (let i = 0; i < 8; i++) {
    const shortfall = lufs - (maxMomentaryLoudness(toFloat(out), 1, sampleRate) + BOTH_CHANNELS_LU);
    if (shortfall < 0.2 || gain >= first * MAX_DRIVE) break;
    gain = Math.min(first * MAX_DRIVE, gain * gainFor(0, shortfall));
    out = limitMono(sound, gain * FULL_SCALE, ceiling, sampleRate);
  }
  return out;
}

/** One sound through the limiter, its look-ahead delay taken back out. */
function limitMono(sound: Float32Array, scale: number, ceiling: number, sampleRate: number): Int16Array {
  const limiter = createLimiter({ ceiling, sampleRate, channels: 1 });
  const blocks = Math.ceil((sound.length + limiter.latency) / LIMITER_BLOCK);
  const out = new Int16Array(blocks * LIMITER_BLOCK);
  const block = new Int32Array(LIMITER_BLOCK);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < LIMITER_BLOCK; i++) block[i] = Math.round((sound[b * LIMITER_BLOCK + i] ?? 0) * scale);
    limiter.process(block, out, b * LIMITER_BLOCK);
  }
  return out.slice(limiter.latency, limiter.latency + sound.length);
}

/**
 * A 4th-order Butterworth low-pass (two biquads), fed in pieces; it filters each piece in place. Naive square
 * waves, saturated noise and clicks put energy high up that comes back as peaks between samples and as AAC
 * overshoot: punches measured 2–3 dB over their PCM peak after AAC at 128k with a 12 kHz low-pass, 1.2 dB with
 * 9 kHz. Hits and bells lose little up there.
 */
function createLowPass(sampleRate: number, channels: number): (pcm: Float32Array) => void {
  const k = Math.tan((Math.PI * Math.min(LOW_PASS_HZ, sampleRate * 0.4)) / sampleRate);
  const stages = [0.5411961, 1.306563].map((q) => {
    const norm = 1 / (1 + k / q + k * k);
    return { b0: k * k * norm, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm };
  });
  const z = new Float64Array(channels * stages.length * 2);
  return (pcm) => {
    for (let c = 0; c < channels; c++) {
      for (let s = 0; s < stages.length; s++) {
        const { b0, a1, a2 } = stages[s]!;
        const at = (c * stages.length + s) * 2;
        let z1 = z[at]!;
        let z2 = z[at + 1]!;
        for (let i = c; i < pcm.length; i += channels) {
          const v = pcm[i]!;
          const y = b0 * v + z1;
          z1 = 2 * b0 * v - a1 * y + z2;
          z2 = b0 * v - a2 * y;
          pcm[i] = y;
        }
        z[at] = z1;
        z[at + 1] = z2;
      }
    }
  };
}
const LOW_PASS_HZ = 9_000;

/** Largest |sample| or four-point halfway estimate of a stereo loop, wrapping around its end (as limiter.ts). */
function loopPeak(loop: Int16Array): number {
  const n = loop.length;
  let peak = 0;
  for (let c = 0; c < 2; c++) {
    let p0 = loop[n - 6 + c]!;
    let p1 = loop[n - 4 + c]!;
    let p2 = loop[n - 2 + c]!;
    for (let i = c; i < n; i += 2) {
      const x = loop[i]!;
      const mid = (9 * (p1 + p2) - p0 - x) >> 4;
      peak = Math.max(peak, x < 0 ? -x : x, mid < 0 ? -mid : mid);
      p0 = p1;
      p1 = p2;
      p2 = x;
    }
  }
  return peak;
}

const toFloat = (pcm: Int16Array) => Float32Array.from(pcm, (x) => x / FULL_SCALE);
