import { describe, expect, it } from 'vitest';
import { FOOT_Y } from './grid.ts';
import type { SpritePose } from './grid.ts';
import { paletteFor } from './palette.ts';
import { bodyFor } from './poses.ts';

const body = (frame: SpritePose) => bodyFor(frame, paletteFor('brawler', '#d94a38'));
/** Each limb's last rectangle is its fist or foot (the pose data is written that way). */
const fists = (frame: SpritePose) => [body(frame).frontArm.at(-1)!, body(frame).backArm.at(-1)!].map((q) => ({ ...q, y: q.y + body(frame).dy }));
const feet = (frame: SpritePose) => [body(frame).frontLeg.at(-1)!, body(frame).backLeg.at(-1)!];
const HEAD_TOP = 5;

describe('the motion frames', () => {
  it('raises both fists over the head for the victory, one for the win', () => {
    const above = (frame: SpritePose) => fists(frame).filter((q) => q.y <= HEAD_TOP + 1).length;
    expect(above('victory')).toBe(2);
    expect(above('win')).toBe(1);
    expect(above('idle0')).toBe(0);
  });

  it('steps: feet far apart mid-stride, close when passing', () => {
    const spread = (frame: SpritePose) => Math.abs(feet(frame)[0]!.x - feet(frame)[1]!.x);
    expect(spread('walk0')).toBeGreaterThan(spread('idle0'));
    expect(spread('walk1')).toBeLessThan(spread('idle0'));
  });

  it('loses its footing in the fall: a foot off the ground, the arms thrown up', () => {
    expect(Math.min(...feet('fall').map((q) => q.y + q.h))).toBeLessThan(FOOT_Y);
    expect(Math.min(...feet('idle0').map((q) => q.y + q.h))).toBe(FOOT_Y);
    fists('fall').forEach((q, i) => expect(q.y).toBeLessThan(fists('idle0')[i]!.y));
  });

  it('holds a hand out for the taunt and lifts the chest to breathe in', () => {
    const reach = (frame: SpritePose) => Math.max(...body(frame).frontArm.map((q) => q.x + q.w));
    expect(reach('taunt')).toBeGreaterThan(reach('idle0') + 3);
    expect(body('breathe').dy).toBeLessThan(body('idle0').dy);
    expect(body('idle1').dy).toBeGreaterThan(body('idle0').dy);
  });
});
