/**
 * From a figure's painter rectangles to the finished sprite: the pixels they leave in the grid, a 1 px dark
 * outline around the silhouette (or, for the hit flash, the silhouette alone in white), the mirror image for the
 * right-hand fighter, and back to as few rectangles as the pixels allow.
 */
import { GRID } from './grid.ts';
import type { SpriteRect } from './grid.ts';

export const OUTLINE = '#0b0b12';
export const FLASH = '#ffffff';

/** GRID×GRID colours, row by row; null is transparent. */
export type Pixels = Array<string | null>;

export type Finish = { facing: 1 | -1; white?: boolean };

/** Fills the rectangles in order, clipped to the grid. */
export function paint(rects: readonly SpriteRect[]): Pixels {
  const px: Pixels = new Array<string | null>(GRID * GRID).fill(null);
  for (const q of rects) {
    for (let y = Math.max(0, q.y); y < Math.min(GRID, q.y + q.h); y++)
      for (let x = Math.max(0, q.x); x < Math.min(GRID, q.x + q.w); x++) px[y * GRID + x] = q.fill;
  }
  return px;
}

/** Outlines (every empty pixel next to the silhouette, sideways or up/down) or flashes, then mirrors if facing left. */
export function finish(px: Pixels, { facing, white = false }: Finish): Pixels {
  const at = (x: number, y: number) => x >= 0 && x < GRID && y >= 0 && y < GRID && px[y * GRID + x] !== null;
  const out: Pixels = new Array<string | null>(GRID * GRID).fill(null);
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      let c: string | null;
      if (at(x, y)) c = white ? FLASH : px[y * GRID + x]!;
      else c = !white && (at(x - 1, y) || at(x + 1, y) || at(x, y - 1) || at(x, y + 1)) ? OUTLINE : null;
      out[y * GRID + (facing === 1 ? x : GRID - 1 - x)] = c;
    }
  }
  return out;
}

/**
 * Covers the pixels with non-overlapping rectangles of one colour each: the widest run from the first uncovered
 * pixel, grown down while the rows below match. Greedy, not minimal, but a sprite comes out at a few hundred.
 */
export function toRects(px: Pixels): SpriteRect[] {
  const done = new Uint8Array(GRID * GRID);
  const free = (x: number, y: number, fill: string) => done[y * GRID + x] === 0 && px[y * GRID + x] === fill;
  const rects: SpriteRect[] = [];
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      const fill = px[y * GRID + x];
      if (fill === null || fill === undefined || done[y * GRID + x]) continue;
      let w = 1;
      while (x + w < GRID && free(x + w, y, fill)) w++;
      let h = 1;
      const rowFree = (yy: number) => {
        for (let i = 0; i < w; i++) if (!free(x + i, yy, fill)) return false;
        return true;
      };
      while (y + h < GRID && rowFree(y + h)) h++;
      for (let yy = y; yy < y + h; yy++) done.fill(1, yy * GRID + x, yy * GRID + x + w);
      rects.push({ x, y, w, h, fill });
    }
  }
  return rects;
}
