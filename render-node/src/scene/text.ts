/** Outlined text: thick dark stroke under a bright fill, so words stay legible on any background and on a phone. */
import type { SKRSContext2D } from '@napi-rs/canvas';

export type TextStyle = {
  font: string;
  fill: string;
  stroke?: string;
  /** Stroke width in px; 0 for none. */
  line?: number;
  align?: CanvasTextAlign;
  baseline?: CanvasTextBaseline;
};

export function drawText(ctx: SKRSContext2D, text: string, x: number, y: number, s: TextStyle): void {
  ctx.font = s.font;
  ctx.textAlign = s.align ?? 'left';
  ctx.textBaseline = s.baseline ?? 'middle';
  const line = s.line ?? 0;
  if (line > 0) {
    ctx.lineJoin = 'round';
    ctx.lineWidth = line;
    ctx.strokeStyle = s.stroke ?? '#000000';
    ctx.strokeText(text, x, y);
  }
  ctx.fillStyle = s.fill;
  ctx.fillText(text, x, y);
}

/** The largest size ≤ `size` at which `text` fits `maxWidth`, for a font built by `font(px)`. */
export function fitSize(ctx: SKRSContext2D, text: string, maxWidth: number, size: number, font: (px: number) => string, min = 10): number {
  ctx.font = font(size);
  const w = ctx.measureText(text).width;
  if (w <= maxWidth) return size;
  return Math.max(min, Math.floor((size * maxWidth) / w));
}

/** Cuts text to fit, with an ellipsis. */
export function ellipsize(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && ctx.measureText(`${chars.join('')}…`).width > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

export function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}
