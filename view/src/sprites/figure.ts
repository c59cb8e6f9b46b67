/**
 * A fighter in one frame as the rectangles a painter fills in order (later ones cover earlier ones), facing right,
 * in grid pixels, without the outline. Rectangles may reach past the grid; whatever draws them clips.
 */
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { rect as r } from './grid.ts';
import type { SpritePose, SpriteRect } from './grid.ts';
import { shade } from './color.ts';
import { headRects } from './heads.ts';
import { paletteFor } from './palette.ts';
import type { Palette } from './palette.ts';
import { bodyFor } from './poses.ts';

/** The figure sits 2 px right of the pose data, so the back of the lying figure and the outline fit in the grid. */
const SHIFT_X = 2;

export function figureRects(archetype: ArchetypeId, main: string, frame: SpritePose): SpriteRect[] {
  const c = paletteFor(archetype, main);
  const rects = frame === 'ko' ? lying(archetype, c) : standing(archetype, c, frame);
  return rects.map((q) => ({ ...q, x: q.x + SHIFT_X }));
}

function standing(archetype: ArchetypeId, c: Palette, frame: SpritePose): SpriteRect[] {
  const { main, p1, p2, skin, torso } = c;
  const b = bodyFor(frame, c);
  const moved = (rects: SpriteRect[]) => rects.map((q) => ({ ...q, x: q.x + b.dx, y: q.y + b.dy }));
  const out: SpriteRect[] = [...b.backLeg, ...moved(b.backArm), ...b.frontLeg];
  // Torso, with a lighter front edge and a darker back edge for some volume.
  const tx = 15 + b.dx;
  const ty = 17 + b.dy;
  out.push(r(tx, ty, 13, 12, torso), r(tx, ty, 3, 12, shade(torso, 0.8)), r(tx + 10, ty + 1, 2, 6, shade(torso, 1.25)));
  out.push(r(tx - 1, ty + 11, 15, 4, archetype === 'luchador' ? main : p2)); // belt / trunks
  if (archetype === 'samurai') out.push(r(tx - 2, ty - 1, 17, 3, p1), r(tx + 2, ty + 4, 9, 2, p1), r(tx + 2, ty + 8, 9, 2, p1)); // plates
  if (archetype === 'wizard') out.push(r(tx - 1, ty + 11, 15, 10, main)); // robe over the legs
  if (archetype === 'robot') out.push(r(tx + 4, ty + 3, 5, 5, p1), r(tx + 5, ty + 4, 3, 3, shade(p1, 1.4)));
  if (archetype === 'beast') out.push(r(tx + 5, ty + 2, 7, 8, p1)); // belly fur
  // The head: the alien's is bigger.
  const hx = 17 + b.dx + b.headDx;
  const hy = 5 + b.dy;
  const big = archetype === 'alien' ? 2 : 0;
  out.push(r(hx - big, hy - big, 11 + big * 2, 11 + big, skin), r(hx - big, hy - big, 2, 11 + big, shade(skin, 0.85)));
  out.push(...headRects(archetype, hx, hy, c, b.eyes));
  out.push(...moved(b.frontArm));
  return out;
}

/** Knocked out: flat on the back, head toward the back of the stage (left when facing right). */
function lying(a: ArchetypeId, c: Palette): SpriteRect[] {
  const { main, skin, p1 } = c;
  const head = a === 'robot' ? '#9aa5b1' : a === 'ninja' || a === 'luchador' ? main : skin;
  const out = [
    r(15, 37, 16, 6, c.leg), // legs
    r(30, 35, 3, 8, c.foot),
    r(4, 36, 12, 7, main), // torso
    r(6, 33, 4, 4, c.arm), // arm up
    r(6, 30, 4, 3, c.fist),
    r(-1, 35, 8, 8, head),
    r(2, 37, 1, 1, '#111111'),
    r(4, 37, 1, 1, '#111111'),
  ];
  if (a === 'luchador') out.push(r(2, 36, 3, 3, p1));
  out.push(r(12, 41, 12, 2, c.arm));
  return out;
}
