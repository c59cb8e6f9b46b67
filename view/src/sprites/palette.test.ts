import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { apart, MAIN_MAX, paletteFor, skinFor } from './palette.ts';
import { HIGHLIGHT_MAX, luminance, rgb, shade } from './color.ts';
import { FRAMES, GRID } from './grid.ts';
import { paint } from './pixels.ts';
import { spriteRects } from './sprite.ts';

/** The largest 4-connected patch of near-white (every channel ≥ 235) pixels in a finished sprite. */
function largestWhitePatch(px: Array<string | null>): number {
  const white = (c: string | null | undefined) => !!c && rgb(c).every((v) => v >= 235);
  const seen = new Uint8Array(GRID * GRID);
  let best = 0;
  for (let i = 0; i < px.length; i++) {
    if (seen[i] || !white(px[i])) continue;
    let n = 0;
    const stack = [i];
    seen[i] = 1;
    while (stack.length > 0) {
      const j = stack.pop()!;
      n++;
      const x = j % GRID;
      const y = Math.floor(j / GRID);
      for (const [xx, yy] of [[x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]] as const) {
        const k = yy * GRID + xx;
        if (xx >= 0 && yy >= 0 && xx < GRID && yy < GRID && !seen[k] && white(px[k])) {
          seen[k] = 1;
          stack.push(k);
        }
      }
    }
    best = Math.max(best, n);
  }
  return best;
}

const IDS = Object.keys(ARCHETYPES) as ArchetypeId[];

describe('fighter palette', () => {
  it('swaps a trim colour that would vanish on the fighter for the fallback', () => {
    expect(apart('#d94a38', '#da4b39', '#ffffff')).toBe('#ffffff');
    expect(apart('#06d6a0', '#d94a38', '#ffffff')).toBe('#06d6a0');
  });

  it('gives a fighter the same skin every time, from the human tones', () => {
    const tones = new Set(IDS.flatMap((a) => ['#d94a38', '#06d6a0', '#5e3fbe'].map((c) => skinFor(c, a))));
    expect(tones.size).toBeGreaterThan(1);
    for (const t of tones) expect(['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac']).toContain(t);
    expect(skinFor('#d94a38', 'brawler')).toBe(skinFor('#d94a38', 'brawler'));
  });

  it('dresses every archetype in its own colour, with trims apart from it', () => {
    for (const a of IDS) {
      const p = paletteFor(a, '#d94a38');
      expect(p.main).toBe('#d94a38');
      for (const c of Object.values(p)) expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(apart(p.p1, p.main, 'swapped')).not.toBe('swapped');
    }
  });

  it('paints no flat white blocks, even on white and near-white fighters (only eye glints and fangs, 4 px at most)', () => {
    const colours = [...new Set([...IDS.flatMap((a) => ARCHETYPES[a].palette), '#ffffff', '#f5f5f5', '#fefae0', '#e9ecef', '#ffd6e0', '#2b2d42'])];
    for (const archetype of IDS)
      for (const color of colours)
        for (const frame of FRAMES) {
          const patch = largestWhitePatch(paint(spriteRects({ archetype, color, frame, facing: 1 })));
          expect(patch, `${archetype} ${color} ${frame}`).toBeLessThanOrEqual(4);
        }
  }, 30_000);

  it('draws a white fighter a shade darker, and clamps highlights short of white', () => {
    expect(luminance(paletteFor('beast', '#ffffff').main)).toBeLessThanOrEqual(MAIN_MAX + 0.01);
    expect(luminance(shade('#dddddd', 1.6))).toBeLessThanOrEqual(HIGHLIGHT_MAX + 0.01);
    expect(shade('#000000', 1.5)).toBe('#808080');
    expect(shade('#808080', 0.5)).toBe('#404040');
  });

  it('does not throw on an archetype this build does not know', () => {
    expect(paletteFor('dragon' as ArchetypeId, '#d94a38').p1).toMatch(/^#[0-9a-f]{6}$/);
  });
});
