import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { FRAMES, GRID } from './grid.ts';
import { FLASH, OUTLINE, paint } from './pixels.ts';
import { spriteRects } from './sprite.ts';

const IDS = Object.keys(ARCHETYPES) as ArchetypeId[];

describe('spriteRects', () => {
  it('is a few hundred non-overlapping rectangles inside the grid, for every fighter and frame', () => {
    for (const archetype of IDS) {
      for (const frame of FRAMES) {
        const rects = spriteRects({ archetype, color: '#06d6a0', frame, facing: 1 });
        expect(rects.length).toBeLessThan(300);
        const area = rects.reduce((n, q) => n + q.w * q.h, 0);
        expect(paint(rects).filter((c) => c !== null)).toHaveLength(area);
        for (const q of rects) {
          expect(Math.min(q.x, q.y)).toBeGreaterThanOrEqual(0);
          expect(Math.max(q.x + q.w, q.y + q.h)).toBeLessThanOrEqual(GRID);
        }
      }
    }
  });

  it('outlines the fighter, and mirrors it when it faces left', () => {
    const key = { archetype: 'ninja', color: '#06d6a0', frame: 'kick' } as const;
    const right = paint(spriteRects({ ...key, facing: 1 }));
    const left = paint(spriteRects({ ...key, facing: -1 }));
    expect(right).toContain(OUTLINE);
    expect(right).toContain('#06d6a0');
    for (let y = 0; y < GRID; y++) for (let x = 0; x < GRID; x++) expect(left[y * GRID + GRID - 1 - x]).toBe(right[y * GRID + x]);
  });

  it('flashes as a white silhouette with no outline', () => {
    const rects = spriteRects({ archetype: 'robot', color: '#00b4d8', frame: 'hurt', facing: -1, white: true });
    expect(new Set(rects.map((q) => q.fill))).toEqual(new Set([FLASH]));
  });
});
