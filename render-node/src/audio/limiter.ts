/**
 * A look-ahead peak limiter for the mix, on integer PCM. Why our own: the npm packages that limit or compress
 * audio are Web Audio nodes for browsers (nothing in /work/.library's npm list works on a Node PCM buffer), and
 * per-sample floating point is what this process must avoid: production runs V8 without its optimizing compiler
 * (build.ts, NODE_FLAGS), where every float result is a heap allocation (see audio-mixer.ts). So the signal path
 * here is small-integer arithmetic only; the gain curve is worked out in floats once per block of 32 frames.
 *
 * How it limits: the input is delayed by `LOOKAHEAD_BLOCKS` blocks (5.3 ms at 48 kHz). Each block's peak (its samples and the
 * points halfway between them) gives the gain it needs (ceiling / peak). The gain at a block boundary is the least of what the blocks around it need, with
 * the needs of blocks up to the look-ahead away phased in linearly, so the gain ramps down before a peak arrives
 * instead of stepping; afterwards it recovers exponentially (`RELEASE_MS`). Within a block the gain moves linearly
 * between its two boundaries, and both are at or below what that block needs, so no sample leaves above the ceiling.
 */

/** Frames per block: the unit of peak detection and of gain steps. */
export const LIMITER_BLOCK_BITS = 5;
export const LIMITER_BLOCK = 1 << LIMITER_BLOCK_BITS;
const LOOKAHEAD_BLOCKS = 8;
const RELEASE_MS = 120;
/** Gains are fixed point with 12 fraction bits: a 19-bit sample times a gain stays inside V8's small integers. */
const GAIN_BITS = 12;
const UNITY = 1 << GAIN_BITS;
/** Input is clamped to this (8× full scale) so sample × gain never leaves the small-integer range. */
export const LIMITER_INPUT_MAX = (1 << (30 - GAIN_BITS)) - 1;

export interface Limiter {
  /** Frames between a block going in and the same block coming out. */
  readonly latency: number;
  /**
   * Push one block (LIMITER_BLOCK interleaved stereo frames, any integer scale up to ±LIMITER_INPUT_MAX) and write
   * the block leaving the look-ahead, limited to ±ceiling, into `out` at frame `outFrame`. `peakBound`, when the
   * caller knows one (the bed alone, measured at start), stands in for scanning the block: the quiet path costs
   * a few native copies instead of a loop over every sample.
   */
  process(input: Int32Array, out: Int16Array, outFrame: number, peakBound?: number): void;
  /** The gain applied at the end of the last block out (1 = not limiting), for tests and meters. */
  readonly gain: number;
}

export function createLimiter(opts: { ceiling: number; sampleRate: number; channels?: number }): Limiter {
  const channels = opts.channels ?? 2;
  const ceiling = Math.floor(opts.ceiling);
  if (!(ceiling > 0 && ceiling < 32768)) throw new Error(`limiter ceiling must be within 16 bits, got ${opts.ceiling}`);
  const slots = LOOKAHEAD_BLOCKS + 1;
  const width = LIMITER_BLOCK * channels;
  const ring = new Int32Array(slots * width);
  /** What each block in the ring needs: ceiling / its peak, or 1. */
  const need = new Float64Array(slots).fill(1);
  const release = 1 - Math.exp(-LIMITER_BLOCK / ((RELEASE_MS / 1000) * opts.sampleRate));
  /** The last three samples of each channel, for the inter-sample estimate across block edges. */
  const history = new Int32Array(3 * channels);
  let pushed = 0;
  let gain = 1;

  return {
    latency: LOOKAHEAD_BLOCKS * LIMITER_BLOCK,
    get gain() {
      return gain;
    },
    process(input, out, outFrame, peakBound) {
      const w = pushed % slots;
      let peak = 0;
      if (peakBound !== undefined && peakBound <= ceiling) {
        ring.set(input, w * width);
        for (let c = 0; c < channels; c++) {
          for (let k = 0; k < 3; k++) history[c * 3 + k] = input[width - (3 - k) * channels + c]!;
        }
      } else {
        for (let c = 0; c < channels; c++) {
          // The waveform between the two previous samples, estimated from four (a half-band interpolator): sharp
          // sounds peak between samples, and AAC and players reconstruct those peaks (true peak, BS.1770).
          let p0 = history[c * 3]!;
          let p1 = history[c * 3 + 1]!;
          let p2 = history[c * 3 + 2]!;
          for (let i = c, o = w * width + c; i < width; i += channels, o += channels) {
            let x = input[i]!;
            if (x > LIMITER_INPUT_MAX) x = LIMITER_INPUT_MAX;
            else if (x < -LIMITER_INPUT_MAX) x = -LIMITER_INPUT_MAX;
            ring[o] = x;
            const mid = (9 * (p1 + p2) - p0 - x) >> 4;
            p0 = p1;
            p1 = p2;
            p2 = x;
            if (x > peak) peak = x;
            else if (-x > peak) peak = -x;
            if (mid > peak) peak = mid;
            else if (-mid > peak) peak = -mid;
          }
          history[c * 3] = p0;
          history[c * 3 + 1] = p1;
          history[c * 3 + 2] = p2;
        }
      }
      need[w] = peak > ceiling ? ceiling / peak : 1;
      pushed++;

      // The block going out is the oldest in the ring (slot `pushed % slots`); the gain at its end must cover it,
      // the next block fully, and the rest of the look-ahead by a ramp.
      const j = pushed % slots;
      let target = Math.min(need[j]!, need[(j + 1) % slots]!);
      for (let d = 2; d <= LOOKAHEAD_BLOCKS; d++) {
        const n = need[(j + d) % slots]!;
        if (n < 1) target = Math.min(target, 1 - (1 - n) * (1 - (d - 1) / LOOKAHEAD_BLOCKS));
      }
      let next = Math.min(target, gain + (1 - gain) * release);
      // An exponential never arrives: within one step of unity, it has (and the block is copied as it is again).
      if (next > 1 - 1 / UNITY) next = Math.min(target, 1);
      const g0 = Math.floor(gain * UNITY);
      const g1 = Math.floor(next * UNITY);
      gain = next;

      const base = j * width;
      const at = outFrame * channels;
      if (g0 >= UNITY && g1 >= UNITY) {
        // Not limiting: the block's peak is at or under the ceiling, so it fits 16 bits as it is.
        out.set(ring.subarray(base, base + width), at);
        return;
      }
      for (let f = 0; f < LIMITER_BLOCK; f++) {
        // Linear from g0 to g1 across the block.
        const g = g0 + (((g1 - g0) * f) >> LIMITER_BLOCK_BITS);
        for (let c = 0; c < channels; c++) {
          const i = f * channels + c;
          out[at + i] = (ring[base + i]! * g) >> GAIN_BITS;
        }
      }
    },
  };
}
