/**
 * The stream's fighters: each sprite from view/'s model (the same one the site draws) is filled once into a tiny
 * canvas (GRID px square), cached, and drawn scaled up with nearest-neighbour sampling.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas } from '@napi-rs/canvas';
import { GRID } from '@stream-fighter/view/sprites/grid';
import type { SpriteKey } from '@stream-fighter/view/sprites/grid';
import { spriteRects } from '@stream-fighter/view/sprites/sprite';

function paint(key: SpriteKey): Canvas {
  const canvas = createCanvas(GRID, GRID);
  const ctx = canvas.getContext('2d');
  for (const q of spriteRects(key)) {
    ctx.fillStyle = q.fill;
    ctx.fillRect(q.x, q.y, q.w, q.h);
  }
  return canvas;
}

const cache = new Map<string, Canvas>();

/** The cached frame (GRID×GRID px). The first call for a key paints it; later calls are a map lookup. */
export function sprite(key: SpriteKey): Canvas {
  const k = `${key.archetype}|${key.color}|${key.frame}|${key.facing}|${key.white ? 1 : 0}`;
  let c = cache.get(k);
  if (!c) {
    c = paint(key);
    // A fight uses a few dozen keys; weeks of matchups would use thousands (~10 KB of pixels each).
    if (cache.size >= 256) cache.clear();
    cache.set(k, c);
  }
  return c;
}
