import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { GRID } from './grid.ts';
import { paint } from './pixels.ts';
import { spriteRects } from './sprite.ts';
import { VIEW_BOX, spriteSvg } from './svg.ts';

const IDS = Object.keys(ARCHETYPES) as ArchetypeId[];

/** The SVG's paths back into grid pixels. */
function pixelsOf(svg: string): Array<string | null> {
  const px = new Array<string | null>(GRID * GRID).fill(null);
  for (const [, fill, d] of svg.matchAll(/<path fill="(#[0-9a-f]{6})" d="([^"]+)"\/>/g)) {
    for (const [, x, y, w, h] of d!.matchAll(/M(\d+) (\d+)h(\d+)v(\d+)h-\d+z/g)) {
      for (let yy = +y!; yy < +y! + +h!; yy++) for (let xx = +x!; xx < +x! + +w!; xx++) px[yy * GRID + xx] = fill!;
    }
  }
  return px;
}

describe('spriteSvg', () => {
  it("draws the stream's own sprite of the fighter on guard, mirrored for the one on the right", () => {
    for (const archetype of IDS) {
      for (const flip of [false, true]) {
        const svg = spriteSvg(archetype, '#d94a38', flip);
        const stream = paint(spriteRects({ archetype, color: '#d94a38', frame: 'idle0', facing: flip ? -1 : 1 }));
        expect(pixelsOf(svg)).toEqual(stream);
      }
    }
  });

  it('fits every fighter in its view box, either way it faces, in a small inline SVG', () => {
    expect(VIEW_BOX.w / VIEW_BOX.h).toBe(3 / 4);
    for (const archetype of IDS) {
      for (const flip of [false, true]) {
        const svg = spriteSvg(archetype, ARCHETYPES[archetype].palette[0]!, flip);
        expect(svg).toMatch(/^<svg class="sprite" viewBox="6 0 36 48" [^>]*aria-hidden="true"/);
        expect(svg.length).toBeLessThan(2500);
        const px = pixelsOf(svg);
        px.forEach((c, i) => {
          if (c === null) return;
          const x = i % GRID;
          const y = Math.floor(i / GRID);
          expect(x >= VIEW_BOX.x && x < VIEW_BOX.x + VIEW_BOX.w && y >= VIEW_BOX.y && y < VIEW_BOX.y + VIEW_BOX.h, `${archetype} ${x},${y}`).toBe(true);
        });
      }
    }
  });
});
