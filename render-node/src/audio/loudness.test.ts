import { describe, expect, it } from 'vitest';
import { gainFor, integratedLoudness, maxMomentaryLoudness } from './loudness.ts';

function sine(seconds: number, hz: number, dbfs: number, rate = 48_000, channels = 2): Float32Array {
  const a = 10 ** (dbfs / 20);
  const n = Math.round(seconds * rate);
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = a * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

describe('BS.1770 loudness', () => {
  // EBU Tech 3341's first case: a 1 kHz stereo sine at −23 dBFS reads −23 LUFS.
  it.each([48_000, 44_100])('reads a 1 kHz stereo sine at −23 dBFS as −23 LUFS at %i Hz', (rate) => {
    expect(integratedLoudness(sine(5, 1000, -23, rate), 2, rate)).toBeCloseTo(-23, 1);
  });

  it('weights high frequencies up and the deep bass down, as K-weighting does', () => {
    expect(integratedLoudness(sine(3, 4000, -23), 2, 48_000)).toBeGreaterThan(-23 + 3);
    expect(integratedLoudness(sine(3, 30, -23), 2, 48_000)).toBeLessThan(-23 - 1);
  });

  it('gates silence out of the integrated figure but not out of a quiet passage', () => {
    const tone = sine(10, 1000, -20);
    const withSilence = new Float32Array(tone.length * 2);
    withSilence.set(tone);
    // Within 0.1 LU: the few blocks that straddle the tone's end count, as they do in any meter.
    expect(Math.abs(integratedLoudness(withSilence, 2, 48_000) + 20)).toBeLessThan(0.1);
    const withQuiet = Float32Array.from([...tone, ...sine(10, 1000, -26)]);
    // The −26 part is within 10 LU of the whole and counts: the mean of 1 and 1/4 in power is −22.0.
    expect(Math.abs(integratedLoudness(withQuiet, 2, 48_000) + 22.04)).toBeLessThan(0.1);
  });

  it('finds the loudest 400 ms of a short burst', () => {
    const burst = new Float32Array(sine(2, 1000, -40).length);
    burst.set(sine(2, 1000, -40));
    burst.set(sine(0.4, 1000, -10), 48_000 * 2);
    expect(maxMomentaryLoudness(burst, 2, 48_000)).toBeCloseTo(-10, 0);
    expect(gainFor(-20, -14)).toBeCloseTo(2, 2);
  });
});
