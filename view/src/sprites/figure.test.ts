import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { figureRects } from './figure.ts';
import { FOOT_Y, FRAMES, GRID } from './grid.ts';

const IDS = Object.keys(ARCHETYPES) as ArchetypeId[];

describe('figure', () => {
  it('stands every archetype on the foot line in every standing frame, and lays it down below it for a KO', () => {
    for (const a of IDS) {
      for (const frame of FRAMES) {
        const rects = figureRects(a, '#d94a38', frame);
        const bottom = Math.max(...rects.map((q) => q.y + q.h));
        if (frame === 'ko') expect(bottom).toBeLessThan(FOOT_Y);
        else expect(bottom, `${a} ${frame}`).toBe(FOOT_Y);
        for (const q of rects) {
          expect(q.w).toBeGreaterThan(0);
          expect(q.h).toBeGreaterThan(0);
          // The back stays inside the grid with room for its outline (a punch's fist may reach past the front,
          // a hat past the top: the grid clips them).
          expect(q.x).toBeGreaterThanOrEqual(1);
          expect(q.x).toBeLessThan(GRID);
        }
      }
    }
  });

  it("wears the fighter's own colour, and changes shape between frames", () => {
    for (const a of IDS) {
      expect(figureRects(a, '#d94a38', 'idle0').some((q) => q.fill === '#d94a38'), a).toBe(true);
      const shapes = new Set(FRAMES.map((f) => JSON.stringify(figureRects(a, '#d94a38', f))));
      expect(shapes.size).toBe(FRAMES.length);
    }
  });
});
