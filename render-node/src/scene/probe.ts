/** Pixel probes for the drawing tests: count colours and hash regions of an RGBA frame. */
import { createHash } from 'node:crypto';
import { rgb } from '@stream-fighter/view/sprites/color';
import type { Box } from './layout.ts';

export type PixelFrame = { rgba: Uint8Array; width: number };

/** Pixels in the box (output px) within `tol` (sum of channel differences) of the colour. */
export function countNear(f: PixelFrame, b: Box, color: string, tol = 30): number {
  const [r, g, bl] = rgb(color);
  let n = 0;
  for (let y = b.y; y < b.y + b.h; y++) {
    for (let x = b.x; x < b.x + b.w; x++) {
      const i = (y * f.width + x) * 4;
      if (Math.abs(f.rgba[i]! - r) + Math.abs(f.rgba[i + 1]! - g) + Math.abs(f.rgba[i + 2]! - bl) <= tol) n++;
    }
  }
  return n;
}

/** Length of the longest horizontal run of the colour on row y between x0 and x1. */
export function runLength(f: PixelFrame, y: number, x0: number, x1: number, color: string, tol = 30): number {
  const [r, g, bl] = rgb(color);
  let best = 0;
  let cur = 0;
  for (let x = x0; x < x1; x++) {
    const i = (y * f.width + x) * 4;
    const near = Math.abs(f.rgba[i]! - r) + Math.abs(f.rgba[i + 1]! - g) + Math.abs(f.rgba[i + 2]! - bl) <= tol;
    cur = near ? cur + 1 : 0;
    best = Math.max(best, cur);
  }
  return best;
}

export function hashRegion(f: PixelFrame, b: Box): string {
  const h = createHash('sha1');
  for (let y = b.y; y < b.y + b.h; y++) {
    const start = (y * f.width + b.x) * 4;
    h.update(f.rgba.subarray(start, start + b.w * 4));
  }
  return h.digest('hex');
}
