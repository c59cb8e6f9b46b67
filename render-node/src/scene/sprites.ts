/**
 * The stream's fighters: each sprite from view/'s model (the same one the site draws) is filled once into a small
 * canvas, cached, and drawn scaled up with nearest-neighbour sampling.
 *
 * The stream adds a rim light: a thin light edge (half a sprite pixel) around the dark outline, in a light tint of
 * the fighter's colour. Dark outline and light rim together stand out from any background: whatever the stage
 * has behind a fighter, one of the two contrasts with it by at least 3:1 (sprites.test.ts checks every stage).
 */
import { CanvasCache } from './canvas-cache.ts';
import type { Canvas } from '@napi-rs/canvas';
import { relativeLuminance, rgb, hex } from '@stream-fighter/view/sprites/color';
import { GRID } from '@stream-fighter/view/sprites/grid';
import type { SpriteKey } from '@stream-fighter/view/sprites/grid';
import { spriteRects } from '@stream-fighter/view/sprites/sprite';

/** Canvas pixels per sprite pixel: 2, so the rim can be half a sprite pixel wide (3 px at 720p). */
export const SPRITE_RES = 2;
/** The rim's least WCAG luminance: with the outline's (~0.004) every background gets 3:1 from one of the two. */
export const RIM_MIN_LUMINANCE = 0.5;

/** The fighter's colour mixed toward white, at least halfway (a light tint, never the body colour) and until it is light enough to be the rim. */
export function rimColor(color: string): string {
  const c = rgb(color);
  for (let k = 0.5; k <= 1; k += 0.05) {
    const mixed = hex(c.map((x) => x + (255 - x) * k));
    if (relativeLuminance(mixed) >= RIM_MIN_LUMINANCE) return mixed;
  }
  return '#ffffff';
}

const SIZE = GRID * SPRITE_RES;

function paint(key: SpriteKey, canvas: Canvas): Canvas {
  const S = SPRITE_RES;
  const size = SIZE;
  const ctx = canvas.getContext('2d');
  const rects = spriteRects(key);
  if (!key.white) {
    // The rim: every canvas pixel outside the outlined silhouette that touches it (8 ways). The hit flash is
    // drawn over the sprite, whose rim it keeps, so it gets none.
    const solid = new Uint8Array(size * size);
    for (const q of rects)
      for (let y = Math.max(0, q.y * S); y < Math.min(size, (q.y + q.h) * S); y++) solid.fill(1, y * size + Math.max(0, q.x * S), y * size + Math.min(size, (q.x + q.w) * S));
    ctx.fillStyle = rimColor(key.color);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        if (solid[y * size + x]) continue;
        let touches = false;
        for (let dy = -1; dy <= 1 && !touches; dy++)
          for (let dx = -1; dx <= 1 && !touches; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            touches = xx >= 0 && yy >= 0 && xx < size && yy < size && solid[yy * size + xx] === 1;
          }
        if (touches) ctx.fillRect(x, y, 1, 1);
      }
  }
  for (const q of rects) {
    ctx.fillStyle = q.fill;
    ctx.fillRect(q.x * S, q.y * S, q.w * S, q.h * S);
  }
  return canvas;
}

/** A fight draws about 27 keys (`npm run bench:rounds`): room for this round's and the last one's, ~37 KB each. */
const cache = new CanvasCache<{ canvas: Canvas }>(64);

/** The cached frame (GRID×GRID sprite pixels, SPRITE_RES canvas px each). The first call for a key paints it; later calls are a lookup. */
export function sprite(key: SpriteKey): Canvas {
  const k = `${key.archetype}|${key.color}|${key.frame}|${key.facing}|${key.white ? 1 : 0}`;
  return cache.get(k, SIZE, SIZE, (canvas) => ({ canvas: paint(key, canvas) })).canvas;
}
