/** Where the limbs are in each standing frame, facing right, in grid pixels (before the figure's 2 px shift). */
import { rect } from './grid.ts';
import type { SpritePose, SpriteRect } from './grid.ts';
import type { Palette } from './palette.ts';

export type Eyes = 'open' | 'x' | 'angry';

export type Body = {
  /** Torso, head and arms shift by dx/dy (the head a further headDx); the legs stay where they are. */
  dx: number;
  dy: number;
  headDx: number;
  frontArm: SpriteRect[];
  backArm: SpriteRect[];
  frontLeg: SpriteRect[];
  backLeg: SpriteRect[];
  eyes: Eyes;
};

/** The standing frames; 'ko' has no limbs here (the figure lies down: see figure.ts). */
export function bodyFor(frame: SpritePose, c: Palette): Body {
  const { arm, arm2, leg, leg2, fist, foot } = c;
  const legsStand = {
    frontLeg: [rect(24, 31, 5, 12, leg), rect(24, 42, 7, 3, foot)],
    backLeg: [rect(15, 31, 5, 12, leg2), rect(14, 42, 7, 3, foot)],
  };
  const guard = {
    frontArm: [rect(27, 18, 4, 6, arm), rect(29, 14, 4, 6, arm), rect(29, 11, 5, 4, fist)],
    backArm: [rect(12, 18, 4, 7, arm2), rect(14, 22, 6, 3, arm2), rect(19, 20, 4, 4, fist)],
  };
  switch (frame) {
    case 'idle0':
    case 'idle1':
      return { dx: 0, dy: frame === 'idle1' ? 1 : 0, headDx: 0, ...guard, ...legsStand, eyes: 'open' };
    case 'punch':
      return {
        dx: 2, dy: 1, headDx: 1, eyes: 'angry', ...legsStand,
        frontArm: [rect(27, 18, 14, 4, arm), rect(40, 16, 6, 7, fist)],
        backArm: [rect(12, 18, 4, 6, arm2), rect(12, 22, 5, 3, arm2), rect(15, 21, 4, 4, fist)],
      };
    case 'kick':
      return {
        dx: -2, dy: -1, headDx: -1, eyes: 'angry', ...guard,
        frontLeg: [rect(24, 27, 16, 5, leg), rect(39, 24, 6, 8, foot)],
        backLeg: [rect(16, 31, 5, 12, leg2), rect(15, 42, 7, 3, foot)],
      };
    case 'charge':
      return {
        dx: -1, dy: 2, headDx: -1, eyes: 'angry', ...legsStand,
        frontArm: [rect(22, 19, 4, 8, arm), rect(19, 25, 5, 4, fist)],
        backArm: [rect(11, 19, 4, 8, arm2), rect(9, 25, 5, 4, fist)],
      };
    case 'special':
      return {
        dx: 1, dy: 0, headDx: 0, eyes: 'angry', ...legsStand,
        frontArm: [rect(27, 17, 12, 4, arm), rect(38, 15, 5, 7, fist)],
        backArm: [rect(25, 22, 12, 4, arm2), rect(36, 21, 5, 6, fist)],
      };
    case 'hurt':
      return {
        dx: -3, dy: 1, headDx: -3, eyes: 'x',
        frontArm: [rect(26, 17, 4, 4, arm), rect(28, 12, 4, 6, arm), rect(28, 9, 5, 4, fist)],
        backArm: [rect(9, 16, 5, 4, arm2), rect(5, 12, 5, 5, fist)],
        frontLeg: [rect(23, 31, 5, 12, leg), rect(23, 42, 7, 3, foot)],
        backLeg: [rect(14, 31, 5, 12, leg2), rect(11, 42, 7, 3, foot)],
      };
    case 'win':
      return {
        dx: 0, dy: 0, headDx: 0, eyes: 'open', ...legsStand,
        frontArm: [rect(27, 10, 4, 9, arm), rect(27, 5, 5, 5, fist)],
        backArm: [rect(12, 18, 4, 7, arm2), rect(12, 24, 4, 3, fist)],
      };
    case 'ko':
      return { dx: 0, dy: 0, headDx: 0, eyes: 'x', frontArm: [], backArm: [], frontLeg: [], backLeg: [] };
  }
}
