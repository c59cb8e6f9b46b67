import { describe, expect, it } from 'vitest';
import { createLimiter, LIMITER_BLOCK } from './limiter.ts';

const RATE = 48_000;
const CEILING = 26_000;

/** Runs `signal` (mono frames, duplicated to stereo) through a fresh limiter; returns the left channel out. */
function run(signal: (frame: number) => number, frames: number): { out: Int16Array; latency: number; gains: number[] } {
  const lim = createLimiter({ ceiling: CEILING, sampleRate: RATE });
  const blocks = Math.ceil(frames / LIMITER_BLOCK);
  const stereo = new Int16Array(blocks * LIMITER_BLOCK * 2);
  const input = new Int32Array(LIMITER_BLOCK * 2);
  const gains: number[] = [];
  for (let b = 0; b < blocks; b++) {
    for (let f = 0; f < LIMITER_BLOCK; f++) input[2 * f] = input[2 * f + 1] = Math.round(signal(b * LIMITER_BLOCK + f));
    lim.process(input, stereo, b * LIMITER_BLOCK);
    gains.push(lim.gain);
  }
  const out = new Int16Array(blocks * LIMITER_BLOCK);
  for (let i = 0; i < out.length; i++) out[i] = stereo[2 * i]!;
  return { out, latency: lim.latency, gains };
}

const peak = (xs: Int16Array) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('the look-ahead limiter', () => {
  it('passes a signal under the ceiling unchanged, only delayed by its look-ahead', () => {
    const quiet = (f: number) => 20_000 * Math.sin((2 * Math.PI * 440 * f) / RATE);
    const { out, latency } = run(quiet, RATE / 2);
    expect(latency).toBeGreaterThan(0);
    expect(latency / RATE).toBeLessThan(0.01);
    for (let f = latency; f < out.length; f += 7) expect(Math.abs(out[f]! - Math.round(quiet(f - latency)))).toBe(0);
  });

  it('holds a signal four times full scale under the ceiling, and loud', () => {
    const loud = (f: number) => 4 * 32_767 * Math.sin((2 * Math.PI * 220 * f) / RATE);
    const { out } = run(loud, RATE);
    expect(peak(out)).toBeLessThanOrEqual(CEILING);
    // After the attack, the sine comes out at the ceiling, give or take the gain's ripple between peaks.
    expect(peak(out.subarray(RATE / 2))).toBeGreaterThan(0.9 * CEILING);
  });

  it('turns down before a sudden peak, not at it, and recovers after', () => {
    const at = RATE / 2;
    const spike = (f: number) => (f >= at && f < at + 480 ? 60_000 : 10_000);
    const { out, latency, gains } = run(spike, 2 * RATE);
    expect(peak(out)).toBeLessThanOrEqual(CEILING);
    // The spike leaves at at + latency; a quarter of the look-ahead before it, the bed is already turned down.
    expect(out[at + latency - latency / 4]).toBeLessThan(10_000);
    expect(out[at + latency - latency / 4]).toBeGreaterThan(CEILING / 6);
    // No step: between neighbouring output frames before the spike, the level moves by a small fraction.
    for (let f = at; f < at + latency - 1; f++) expect(Math.abs(out[f + 1]! - out[f]!)).toBeLessThan(1_000);
    // A second and a half later the gain is back to 1 and the signal passes untouched.
    expect(gains.at(-1)).toBeGreaterThan(0.99);
    expect(out[out.length - 1]).toBe(10_000);
  });

  it('clamps absurd input instead of overflowing', () => {
    const { out } = run((f) => (f % 2 ? 1e9 : -1e9), RATE / 10);
    expect(peak(out)).toBeLessThanOrEqual(CEILING);
  });
});
