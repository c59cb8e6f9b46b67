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
    case 'walk0':
      // Mid-stride, legs apart; the body sinks a pixel.
      return {
        dx: 0, dy: 1, headDx: 0, eyes: 'open', ...guard,
        frontLeg: [rect(25, 31, 5, 6, leg), rect(27, 36, 5, 7, leg), rect(27, 42, 7, 3, foot)],
        backLeg: [rect(14, 31, 5, 6, leg2), rect(12, 36, 5, 7, leg2), rect(10, 42, 7, 3, foot)],
      };
    case 'walk1':
      // Passing: the back foot swings through, just off the ground.
      return {
        dx: 0, dy: 0, headDx: 0, eyes: 'open', ...guard,
        frontLeg: [rect(21, 31, 5, 12, leg), rect(21, 42, 7, 3, foot)],
        backLeg: [rect(17, 31, 5, 10, leg2), rect(17, 40, 6, 3, foot)],
      };
    case 'breathe':
      // Breathing in: chest up a pixel, guard a little lower.
      return {
        dx: 0, dy: -1, headDx: 0, eyes: 'open',
        frontArm: [rect(27, 19, 4, 6, arm), rect(29, 16, 4, 5, arm), rect(29, 13, 5, 4, fist)],
        backArm: [rect(12, 19, 4, 7, arm2), rect(14, 23, 6, 3, arm2), rect(19, 21, 4, 4, fist)],
        frontLeg: [rect(24, 30, 5, 13, leg), rect(24, 42, 7, 3, foot)],
        backLeg: [rect(15, 30, 5, 13, leg2), rect(14, 42, 7, 3, foot)],
      };
    case 'taunt':
      // "Come on": the front hand held out, palm up; the other on the hip.
      return {
        dx: 0, dy: 0, headDx: 1, eyes: 'angry', ...legsStand,
        frontArm: [rect(27, 18, 10, 4, arm), rect(36, 14, 4, 6, fist)],
        backArm: [rect(12, 18, 4, 6, arm2), rect(11, 23, 5, 3, fist)],
      };
    case 'fall':
      // Knocked off balance: knees giving, arms thrown up, the front foot off the ground.
      return {
        dx: -3, dy: 2, headDx: -3, eyes: 'x',
        frontArm: [rect(25, 14, 4, 5, arm), rect(26, 9, 4, 6, arm), rect(26, 6, 5, 4, fist)],
        backArm: [rect(10, 13, 5, 4, arm2), rect(6, 9, 5, 5, fist)],
        frontLeg: [rect(24, 31, 5, 6, leg), rect(27, 35, 5, 5, leg), rect(30, 35, 5, 3, foot)],
        backLeg: [rect(14, 31, 5, 12, leg2), rect(12, 42, 7, 3, foot)],
      };
    case 'victory':
      // Both fists up, feet planted wide.
      return {
        dx: 0, dy: 0, headDx: 0, eyes: 'open',
        frontArm: [rect(27, 10, 4, 9, arm), rect(27, 5, 5, 5, fist)],
        backArm: [rect(13, 10, 4, 9, arm2), rect(12, 5, 5, 5, fist)],
        frontLeg: [rect(25, 31, 5, 12, leg), rect(26, 42, 7, 3, foot)],
        backLeg: [rect(13, 31, 5, 12, leg2), rect(11, 42, 7, 3, foot)],
      };
    case 'ko':
      return { dx: 0, dy: 0, headDx: 0, eyes: 'x', frontArm: [], backArm: [], frontLeg: [], backLeg: [] };
  }
}
