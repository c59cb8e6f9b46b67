/**
 * The fighter sprite both the stream and the site draw: one fighter in one frame as non-overlapping one-colour
 * rectangles in a GRID px square, outlined and facing the way the key says. Filling them in any order gives the
 * finished sprite; the canvas scales it up with nearest-neighbour sampling, the site puts it in an SVG.
 */
import type { SpriteKey, SpriteRect } from './grid.ts';
import { figureRects } from './figure.ts';
import { finish, paint, toRects } from './pixels.ts';

export function spriteRects(key: SpriteKey): SpriteRect[] {
  return toRects(finish(paint(figureRects(key.archetype, key.color, key.frame)), key));
}
