import { describe, expect, it } from 'vitest';
import { createAudioMixer, samplesForFrame, softClip } from './audio-mixer.ts';
import { musicBed } from './synth.ts';

function rms(pcm: Buffer): number {
  let sum = 0;
  for (let i = 0; i < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2;
  return Math.sqrt(sum / (pcm.length / 2)) / 32768;
}

describe('samplesForFrame', () => {
  it.each([24, 25, 30, 60, 7])('gives exactly 48000 samples per second at %i fps', (fps) => {
    let total = 0;
    for (let k = 0; k < fps * 3; k++) total += samplesForFrame(k, fps);
    expect(total).toBe(48000 * 3);
    expect(samplesForFrame(0, 30)).toBe(1600);
  });
});

describe('createAudioMixer', () => {
  it('renders s16le stereo blocks of the asked length, the same every run', () => {
    const a = createAudioMixer('music');
    const b = createAudioMixer('music');
    const blockA = Buffer.concat([a.render(1600), a.render(1600)]);
    const blockB = Buffer.concat([b.render(1600), b.render(1600)]);
    expect(blockA.length).toBe(3200 * 4);
    expect(blockA.equals(blockB)).toBe(true);
    expect(a.position).toBe(3200);
  });

  it.each(['music', 'bed'] as const)('%s is quiet but never silent', (mode) => {
    const m = createAudioMixer(mode);
    for (let k = 0; k < 30 * 10; k++) {
      const level = rms(m.render(1600));
      expect(level).toBeGreaterThan(0.002);
      expect(level).toBeLessThan(0.2);
    }
  });

  it.each(['punch', 'kick', 'special', 'ko'] as const)('a %s is clearly louder than the bed, then fades', (kind) => {
    const quiet = createAudioMixer('music');
    const hit = createAudioMixer('music');
    hit.trigger(kind);
    const bedLevel = rms(quiet.render(1600));
    expect(rms(hit.render(1600))).toBeGreaterThan(bedLevel * 2);
    for (let k = 0; k < 60; k++) {
      quiet.render(1600);
      hit.render(1600);
    }
    expect(rms(hit.render(1600))).toBeCloseTo(rms(quiet.render(1600)), 6);
  });

  it('caps simultaneous effects (the oldest are cut)', () => {
    const pile = createAudioMixer('music');
    const eight = createAudioMixer('music');
    for (let i = 0; i < 50; i++) pile.trigger('ko');
    for (let i = 0; i < 8; i++) eight.trigger('ko');
    const pcm = pile.render(4800);
    expect(pcm.equals(eight.render(4800))).toBe(true);
  });
});

describe('the bed loop', () => {
  it('plays on across the end of its loop as if it never ended', () => {
    const period = musicBed(48_000).period;
    const m = createAudioMixer('music');
    const start = m.render(1600);
    m.render(period - 1600 - 800);
    // 800 frames before the loop's end and 800 after it: the second half is the loop's start again.
    const across = m.render(1600);
    expect(across.subarray(800 * 4).equals(start.subarray(0, 800 * 4))).toBe(true);
    expect(m.position).toBe(period + 800);
  });
});

describe('softClip', () => {
  it('passes the bed unchanged and rounds stacked hits off below full scale', () => {
    for (const x of [0, 0.1, -0.3, 0.5]) expect(softClip(x)).toBe(x);
    let prev = softClip(0.5);
    for (let x = 0.51; x < 8; x += 0.01) {
      const y = softClip(x);
      expect(y).toBeGreaterThan(prev);
      expect(y).toBeLessThan(1);
      expect(softClip(-x)).toBe(-y);
      prev = y;
    }
    // Continuous, with a continuous slope, at the knee: no click where a hit crosses it.
    expect(softClip(0.5001) - 0.5001).toBeLessThan(1e-7);
  });

  it('keeps eight stacked knockouts loud but inside 16 bits', () => {
    const m = createAudioMixer('music');
    for (let i = 0; i < 8; i++) m.trigger('ko');
    const pcm = m.render(4800);
    let peak = 0;
    for (let i = 0; i < pcm.length; i += 2) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i)));
    expect(peak).toBeGreaterThan(0.9 * 32767);
    expect(peak).toBeLessThanOrEqual(32767);
  });
});
