import { describe, expect, it } from 'vitest';
import { createAudioMixer, samplesForFrame } from './audio-mixer.ts';

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
