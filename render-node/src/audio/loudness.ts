/**
 * Loudness as ITU-R BS.1770-4 defines it (what FFmpeg's `ebur128` and the platforms measure): K-weighting (a
 * high-frequency shelf and a 38 Hz high-pass), mean square per channel summed, −0.691 + 10·log10. The mixer uses
 * it once at start to set the levels of the bed and of every sound from the sounds themselves, so the program
 * lands on its target whatever the synth makes; never per sample on air.
 */

/** A biquad as [b0, b1, b2, a1, a2] (a0 = 1). */
type Biquad = readonly [number, number, number, number, number];

/** The two K-weighting stages at any sample rate (the bilinear-transform form libebur128 uses; exact at 48 kHz). */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = [(vh + (vb * k) / q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / q + k * k) / a0, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = [1, -2, 1, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
  return [shelf, highPass];
}

/** The mean square (channels summed) a loudness stands for, and back. */
export const powerOf = (lufs: number) => 10 ** ((lufs + 0.691) / 10);
const toLufs = (meanSquare: number) => (meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : -Infinity);

export interface LoudnessMeter {
  /** Measure more interleaved PCM (floats at full scale ±1, or integers with `scale` = 1/32767). */
  push(pcm: Float32Array | Int16Array, scale?: number): void;
  /**
   * Mean square (channels summed) of each 400 ms block, blocks every 100 ms: the momentary loudness's blocks, which
   * gating and the maximum momentary loudness are made of. Audio shorter than one block is one block, padded.
   */
  powers(): number[];
  /** Sum of the K-weighted squares over all channels: a sound's energy, which adds up when sounds are mixed. */
  energy(): number;
}

/**
 * A BS.1770 meter fed in pieces, so a long signal never needs a buffer of its own size: it keeps the filters' state
 * and one energy per 100 ms.
 */
export function createLoudnessMeter(channels: number, sampleRate: number): LoudnessMeter {
  const [[sb0, sb1, sb2, sa1, sa2], [hb0, hb1, hb2, ha1, ha2]] = kWeightingFilters(sampleRate);
  /** Per channel: the two stages' z1, z2 (direct form II transposed). */
  const z = new Float64Array(channels * 4);
  const step = Math.round(0.1 * sampleRate);
  const segments: number[] = [];
  let segment = 0;
  let inSegment = 0;
  let total = 0;
  return {
    push(pcm, scale = 1) {
      const n = Math.floor(pcm.length / channels);
      for (let i = 0; i < n; i++) {
        let e = 0;
        for (let c = 0; c < channels; c++) {
          const x = pcm[i * channels + c]! * scale;
          const k = c * 4;
          const y = sb0 * x + z[k]!;
          z[k] = sb1 * x - sa1 * y + z[k + 1]!;
          z[k + 1] = sb2 * x - sa2 * y;
          const w = hb0 * y + z[k + 2]!;
          z[k + 2] = hb1 * y - ha1 * w + z[k + 3]!;
          z[k + 3] = hb2 * y - ha2 * w;
          e += w * w;
        }
        segment += e;
        total += e;
        if (++inSegment === step) {
          segments.push(segment);
          segment = 0;
          inSegment = 0;
        }
      }
    },
    powers() {
      const block = 4 * step;
      if (segments.length < 4) return segments.length > 0 || inSegment > 0 ? [total / block] : [];
      const out: number[] = [];
      for (let i = 0; i + 4 <= segments.length; i++) out.push((segments[i]! + segments[i + 1]! + segments[i + 2]! + segments[i + 3]!) / block);
      return out;
    },
    energy: () => total,
  };
}

/** Sum of the K-weighted squares over all channels of `pcm`. */
export function weightedEnergy(pcm: Float32Array, channels: number, sampleRate: number): number {
  const meter = createLoudnessMeter(channels, sampleRate);
  meter.push(pcm);
  return meter.energy();
}

/** The 400 ms block powers of `pcm` (see LoudnessMeter.powers). */
export function blockPowers(pcm: Float32Array, channels: number, sampleRate: number): number[] {
  const meter = createLoudnessMeter(channels, sampleRate);
  meter.push(pcm);
  return meter.powers();
}

/** Integrated loudness (LUFS) with BS.1770's absolute (−70 LUFS) and relative (−10 LU) gates. */
export function integratedLoudness(pcm: Float32Array, channels: number, sampleRate: number): number {
  return gatedLoudness(blockPowers(pcm, channels, sampleRate));
}

/** Integrated loudness from a meter's block powers. */
export function gatedLoudness(blocks: number[]): number {
  const powers = blocks.filter((p) => toLufs(p) > -70);
  if (powers.length === 0) return -Infinity;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const relativeGate = toLufs(mean(powers)) - 10;
  const gated = powers.filter((p) => toLufs(p) > relativeGate);
  return toLufs(mean(gated));
}

/** The loudest momentary (400 ms) loudness, LUFS. */
export function maxMomentaryLoudness(pcm: Float32Array, channels: number, sampleRate: number): number {
  return toLufs(Math.max(0, ...blockPowers(pcm, channels, sampleRate)));
}

/** Linear gain that moves `fromLufs` to `toLufs`. */
export const gainFor = (fromLufs: number, to: number) => 10 ** ((to - fromLufs) / 20);
