import { describe, expect, it } from 'vitest';
import { GRID, rect } from './grid.ts';
import { FLASH, OUTLINE, finish, paint, toRects } from './pixels.ts';
import type { Pixels } from './pixels.ts';

const at = (px: Pixels, x: number, y: number) => px[y * GRID + x];

describe('sprite pixels', () => {
  it('fills rectangles in order and clips them to the grid', () => {
    const px = paint([rect(-3, -3, 5, 5, '#aa0000'), rect(1, 1, 2, 2, '#00aa00'), rect(GRID - 1, 0, 9, 1, '#0000aa')]);
    expect(at(px, 0, 0)).toBe('#aa0000');
    expect(at(px, 1, 1)).toBe('#00aa00');
    expect(at(px, 2, 2)).toBe('#00aa00');
    expect(at(px, 3, 3)).toBeNull();
    expect(at(px, GRID - 1, 0)).toBe('#0000aa');
    expect(px.filter((c) => c !== null)).toHaveLength(4 + 3 + 1);
  });

  it('outlines the silhouette sideways and up/down, not across corners', () => {
    const px = finish(paint([rect(10, 10, 2, 1, '#aa0000')]), { facing: 1 });
    expect([at(px, 9, 10), at(px, 12, 10), at(px, 10, 9), at(px, 11, 11)]).toEqual([OUTLINE, OUTLINE, OUTLINE, OUTLINE]);
    expect([at(px, 9, 9), at(px, 12, 11)]).toEqual([null, null]);
    expect(at(px, 10, 10)).toBe('#aa0000');
  });

  it('flashes the silhouette alone in white', () => {
    const px = finish(paint([rect(10, 10, 2, 1, '#aa0000')]), { facing: 1, white: true });
    expect(px.filter((c) => c !== null)).toEqual([FLASH, FLASH]);
  });

  it('mirrors the sprite for the fighter facing left', () => {
    const right = finish(paint([rect(3, 5, 4, 2, '#aa0000'), rect(20, 30, 1, 6, '#00aa00')]), { facing: 1 });
    const left = finish(paint([rect(3, 5, 4, 2, '#aa0000'), rect(20, 30, 1, 6, '#00aa00')]), { facing: -1 });
    for (let y = 0; y < GRID; y++) for (let x = 0; x < GRID; x++) expect(at(left, GRID - 1 - x, y)).toBe(at(right, x, y));
  });

  it('turns pixels back into non-overlapping rectangles that cover exactly them', () => {
    const px = finish(paint([rect(4, 4, 10, 10, '#aa0000'), rect(6, 6, 3, 3, '#00aa00'), rect(20, 2, 1, 40, '#0000aa')]), { facing: 1 });
    const rects = toRects(px);
    expect(paint(rects)).toEqual(px);
    const covered = rects.reduce((n, q) => n + q.w * q.h, 0);
    expect(covered).toBe(px.filter((c) => c !== null).length);
    // A solid block stays one rectangle.
    expect(toRects(paint([rect(6, 6, 3, 3, '#00aa00')]))).toEqual([rect(6, 6, 3, 3, '#00aa00')]);
  });
});
