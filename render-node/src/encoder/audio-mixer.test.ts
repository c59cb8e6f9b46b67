import { describe, expect, it } from 'vitest';
import { createAudioMixer, samplesForFrame } from './audio-mixer.ts';
import { SFX_KINDS } from './synth.ts';
import { BED_LU, CEILING_DBFS, DEFAULT_LOUDNESS_LUFS, mixLevels } from '../audio/levels.ts';
import { integratedLoudness, maxMomentaryLoudness } from '../audio/loudness.ts';

const RATE = 48_000;
const toFloat = (pcm: Buffer) => {
  const s = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
  return Float32Array.from(s, (x) => x / 32767);
};
const peakOf = (pcm: Buffer) => {
  let p = 0;
  for (let i = 0; i < pcm.length; i += 2) p = Math.max(p, Math.abs(pcm.readInt16LE(i)));
  return p;
};
const ceiling = Math.floor(32767 * 10 ** (CEILING_DBFS / 20));

describe('samplesForFrame', () => {
  it.each([24, 25, 30, 60, 7])('gives exactly 48000 samples per second at %i fps', (fps) => {
    let total = 0;
    for (let k = 0; k < fps * 3; k++) total += samplesForFrame(k, fps);
    expect(total).toBe(48000 * 3);
    expect(samplesForFrame(0, 30)).toBe(1600);
  });
});

describe('createAudioMixer', () => {
  it('renders s16le stereo blocks of any asked length, the same however the samples are asked for', () => {
    const a = createAudioMixer('music');
    const b = createAudioMixer('music');
    a.trigger('kick');
    b.trigger('kick');
    const whole = a.render(3200);
    // Sizes that are not multiples of the limiter's block: the remainder carries over to the next call.
    const parts = Buffer.concat([b.render(1601), b.render(7), b.render(1592)]);
    expect(whole.length).toBe(3200 * 4);
    expect(parts.equals(whole)).toBe(true);
    expect(a.position).toBe(3200);
    expect(peakOf(whole)).toBeGreaterThan(0.5 * ceiling);
  });

  it.each(['music', 'bed'] as const)('puts the %s bed at its level under the target, for any target', (mode) => {
    for (const target of [DEFAULT_LOUDNESS_LUFS, -20]) {
      const m = createAudioMixer(mode, { loudnessLufs: target });
      const pcm = m.render(20 * RATE);
      expect(integratedLoudness(toFloat(pcm), 2, RATE)).toBeCloseTo(target + BED_LU, 0);
      expect(peakOf(pcm)).toBeLessThanOrEqual(ceiling);
    }
  });

  // Hits at least 6 LU over the idle program (its integrated loudness), the cues at least 4.
  it.each(SFX_KINDS.map((k) => [k, ['countdown', 'round-start', 'result'].includes(k) ? 4 : 6] as const))('plays %s %i LU or more over the idle bed, under the ceiling, then lets the bed be', (kind, lu) => {
    const quiet = createAudioMixer('bed');
    const hit = createAudioMixer('bed');
    hit.trigger(kind);
    quiet.render(2 * RATE);
    const withHit = hit.render(2 * RATE);
    const idle = integratedLoudness(toFloat(createAudioMixer('bed').render(20 * RATE)), 2, RATE);
    expect(maxMomentaryLoudness(toFloat(withHit), 2, RATE) - idle).toBeGreaterThan(lu);
    expect(peakOf(withHit)).toBeLessThanOrEqual(ceiling);
    // Long after, the two streams are the same bed again (the limiter has let go).
    quiet.render(RATE);
    hit.render(RATE);
    expect(hit.render(1600).equals(quiet.render(1600))).toBe(true);
  });

  it('ducks the bed under a sound and brings it back over a few hundred ms', () => {
    const rms = (pcm: Buffer) => {
      let sum = 0;
      for (let i = 0; i < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2;
      return Math.sqrt(sum / (pcm.length / 2));
    };
    const quiet = createAudioMixer('bed');
    const beep = createAudioMixer('bed');
    beep.trigger('countdown');
    // The beep lasts 0.2 s; 0.25–0.35 s in, only the bed plays, still on its way back up.
    quiet.render(0.25 * RATE);
    beep.render(0.25 * RATE);
    const dB = 20 * Math.log10(rms(beep.render(0.1 * RATE)) / rms(quiet.render(0.1 * RATE)));
    expect(dB).toBeLessThan(-2.5);
    expect(dB).toBeGreaterThan(-6.5);
    quiet.render(0.5 * RATE);
    beep.render(0.5 * RATE);
    expect(beep.render(1600).equals(quiet.render(1600))).toBe(true);
  });

  it('holds a pile of knockouts under the ceiling, loud', () => {
    const m = createAudioMixer('music');
    for (let i = 0; i < 50; i++) m.trigger('ko');
    const pcm = m.render(RATE);
    expect(peakOf(pcm)).toBeLessThanOrEqual(ceiling);
    expect(peakOf(pcm)).toBeGreaterThan(0.9 * ceiling);
  });

  it('keeps a minute of non-stop hits near the target: later hits play quieter once the budget is spent', () => {
    const m = createAudioMixer('bed');
    const kinds = ['punch', 'kick', 'punch', 'special'] as const;
    const frames: Buffer[] = [];
    for (let k = 0; k < 60 * 30; k++) {
      // Four hits a second, a KO every 15 s.
      if (k % 8 === 0) m.trigger(kinds[(k / 8) % kinds.length]!);
      if (k % 450 === 449) m.trigger('ko');
      frames.push(m.render(1600));
    }
    const pcm = toFloat(Buffer.concat(frames));
    expect(integratedLoudness(pcm, 2, RATE)).toBeLessThan(DEFAULT_LOUDNESS_LUFS + 2);
    const first = maxMomentaryLoudness(pcm.subarray(0, 2 * 2 * RATE), 2, RATE);
    const late = maxMomentaryLoudness(pcm.subarray(2 * 40 * RATE, 2 * 42 * RATE), 2, RATE);
    expect(late).toBeLessThan(first - 2);
  });
});

describe('the bed loop', () => {
  it('plays on across the end of its loop as if it never ended', () => {
    const period = mixLevels('music', RATE).loop.length / 2;
    const m = createAudioMixer('music');
    const start = m.render(3200);
    m.render(period - 3200);
    // One period on, the output repeats (past the first few ms, which are the limiter's look-ahead filling up).
    const across = m.render(3200);
    expect(across.subarray(1600 * 4).equals(start.subarray(1600 * 4))).toBe(true);
    expect(m.position).toBe(period + 3200);
  });
});
