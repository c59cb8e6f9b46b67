import { describe, expect, it } from 'vitest';
import { IDLE_CYCLE_MS, SLOWMO, STANCE, approachStance, idleMotion, introStance, knockedBack, stanceAt, walkFrame, warp } from './motion.ts';

describe('stance', () => {
  it('walks in from off the stage during the intro and stands at home before the round goes live', () => {
    const start = introStance(0, 5000);
    expect(start.d).toBe(STANCE.introFrom);
    expect(start.walking).toBe(true);
    const mid = introStance(STANCE.introMs / 2, 5000);
    expect(mid.d).toBeGreaterThan(STANCE.introFrom);
    expect(mid.d).toBeLessThan(0);
    expect(introStance(STANCE.introMs, 5000)).toEqual({ d: 0, walking: false, stride: 0 });
    // A short intro (test stacks) still finishes the walk before the round goes live.
    expect(introStance(300, 500).d).toBe(0);
  });

  it('closes the distance once live, then stops walking', () => {
    expect(approachStance(0).d).toBe(0);
    expect(approachStance(400).walking).toBe(true);
    expect(approachStance(400).d).toBeCloseTo((STANCE.walkPxPerS * 400) / 1000);
    expect(approachStance(60_000)).toMatchObject({ d: STANCE.approach, walking: false });
  });

  it('is knocked back by a hit, further by a bigger one, then walks forward again to the approach distance', () => {
    const t = 10_000;
    const punch = knockedBack(null, STANCE.approach, 'punch', t);
    const special = knockedBack(null, STANCE.approach, 'special', t);
    expect(stanceAt(punch, t).d).toBe(STANCE.approach);
    const lowest = (s: typeof punch) => Math.min(...Array.from({ length: 100 }, (_, i) => stanceAt(s, t + i * 10).d));
    expect(lowest(punch)).toBeLessThan(STANCE.approach - STANCE.knock.punch / 2);
    expect(lowest(special)).toBeLessThan(lowest(punch) - 40);
    // Back first, then forward (walking) until home again.
    const at = (ms: number) => stanceAt(special, t + ms);
    expect(at(100).d).toBeLessThan(at(0).d);
    expect(at(100).walking).toBe(false);
    expect(at(800).walking).toBe(true);
    expect(at(800).d).toBeGreaterThan(at(STANCE.knockMs).d);
    expect(at(10_000)).toMatchObject({ d: STANCE.approach, walking: false });
    // Never shoved past the floor.
    expect(stanceAt(knockedBack(null, STANCE.floor + 10, 'special', t), t + 60).d).toBeGreaterThanOrEqual(STANCE.floor);
  });

  it('shoves as far as the biggest of the hits in one frame, and less for a hit close behind another', () => {
    const t = 5000;
    const punch = knockedBack(null, STANCE.approach, 'punch', t);
    const both = knockedBack(punch, stanceAt(punch, t).d, 'special', t);
    expect(both.to).toBe(STANCE.approach - STANCE.knock.special);
    expect(knockedBack(both, stanceAt(both, t).d, 'punch', t).to).toBe(both.to);
    const mid = stanceAt(punch, t + 150).d;
    const soon = knockedBack(punch, mid, 'punch', t + 150);
    expect(stanceAt(soon, t + 150).d).toBe(mid);
    expect(mid - soon.to).toBeCloseTo(STANCE.knock.punch * (150 / STANCE.knockRecoverMs) ** 2);
    expect(mid - knockedBack(punch, mid, 'punch', t + STANCE.knockRecoverMs).to).toBe(STANCE.knock.punch);
  });

  it('keeps fighters near each other under a flood of hits (30 a second)', () => {
    let seg: ReturnType<typeof knockedBack> | null = null;
    const kinds = ['punch', 'punch', 'kick', 'punch', 'special', 'punch', 'kick', 'punch', 'punch', 'kick'] as const;
    let t = 0;
    for (let i = 0; i < 600; i++, t += 100) {
      const d = seg ? stanceAt(seg, t).d : STANCE.approach;
      // Three hits per 100 ms snapshot, all in one frame.
      for (let k = 0; k < 3; k++) seg = knockedBack(seg, seg ? stanceAt(seg, t).d : d, kinds[(i * 3 + k) % kinds.length]!, t);
    }
    expect(stanceAt(seg!, t).d).toBeGreaterThan(STANCE.approach - 40);
  });
});

describe('idleMotion', () => {
  it('is never still: frames 1 s apart differ, all through the loop, on both sides', () => {
    for (const side of [0, 1] as const) {
      for (let t = -IDLE_CYCLE_MS; t < 3 * IDLE_CYCLE_MS; t += 7) {
        expect(idleMotion(t + 1000, side), `side ${side} t ${t}`).not.toEqual(idleMotion(t, side));
      }
    }
  });

  it('breathes, shuffles and taunts in one loop, the two sides out of step', () => {
    const frames = (side: 0 | 1) => new Set(Array.from({ length: IDLE_CYCLE_MS / 50 }, (_, i) => idleMotion(i * 50, side).frame));
    for (const f of ['idle0', 'idle1', 'breathe', 'walk0', 'walk1', 'taunt']) expect(frames(0).has(f as never), f).toBe(true);
    const tauntAt = (side: 0 | 1) => Array.from({ length: IDLE_CYCLE_MS / 50 }, (_, i) => i * 50).filter((t) => idleMotion(t, side).frame === 'taunt');
    const both = tauntAt(0).filter((t) => tauntAt(1).includes(t));
    expect(both).toEqual([]);
    expect(Math.max(...Array.from({ length: 200 }, (_, i) => Math.abs(idleMotion(i * 36, 0).dx)))).toBeGreaterThan(10);
  });
});

describe('warp (the KO slow motion)', () => {
  it('runs at real speed without a KO, slowly for the beat after it, then at real speed again', () => {
    expect(warp(5000, null)).toBe(5000);
    const ko = 1000;
    expect(warp(900, ko)).toBe(900);
    expect(warp(ko + 100, ko) - warp(ko, ko)).toBeCloseTo(100 * SLOWMO.rate);
    const after = warp(ko + SLOWMO.ms + 500, ko) - warp(ko + SLOWMO.ms, ko);
    expect(after).toBeCloseTo(500);
    for (let t = ko - 100; t < ko + 3000; t += 50) expect(warp(t + 50, ko)).toBeGreaterThan(warp(t, ko));
  });
});
