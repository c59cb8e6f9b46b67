/**
 * The fighters on the site, as on the stream: the very sprite the render node draws, standing on guard, as inline
 * SVG so it shows before (and without) JavaScript, from the Worker's first render as much as from the page's own
 * updates.
 */
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { GRID } from './grid.ts';
import { spriteRects } from './sprite.ts';

/** The part of the grid a standing fighter uses, either way it faces: 36×48, the 3:4 box the page's CSS sizes. */
export const VIEW_BOX = { x: 6, y: 0, w: GRID - 12, h: GRID } as const;

/** Inline SVG (decorative: the name is always next to it). `flip` faces it left, for the fighter on the right. */
export function spriteSvg(archetype: ArchetypeId, main: string, flip = false): string {
  // One path per colour keeps the markup small (about 1.5 KB a fighter).
  const paths = new Map<string, string>();
  for (const q of spriteRects({ archetype, color: main, frame: 'idle0', facing: flip ? -1 : 1 })) {
    paths.set(q.fill, `${paths.get(q.fill) ?? ''}M${q.x} ${q.y}h${q.w}v${q.h}h-${q.w}z`);
  }
  const body = [...paths].map(([fill, d]) => `<path fill="${fill}" d="${d}"/>`).join('');
  const { x, y, w, h } = VIEW_BOX;
  return `<svg class="sprite" viewBox="${x} ${y} ${w} ${h}" shape-rendering="crispEdges" aria-hidden="true" focusable="false">${body}</svg>`;
}
