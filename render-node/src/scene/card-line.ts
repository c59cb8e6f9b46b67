/**
 * A fighter's card line beside its name in the HUD (@stream-fighter/view/fighter-card: "S · 14-3", NEW, the streak
 * flame): a small pill painted once into a canvas of its own and blitted every frame. It changes once a round at
 * most, so the frame pays a copy, not a rounded rectangle, outlined words and two paths.
 */
import { createCanvas, Path2D } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { FLAME, type CardLine } from '@stream-fighter/view/fighter-card';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { drawText, roundRect } from './text.ts';

export type CardSprite = { canvas: Canvas; w: number; h: number };

/** Logical px: the pill's height, its text size, the flame's size and the gaps. */
export const CARD_LINE = { h: 30, font: 20, flame: 20, pad: 10, gap: 5 } as const;

export const CARD_COLORS = {
  pill: '#0b0b18',
  edge: '#ffd60a',
  text: '#ffffff',
  debutPill: '#22c55e',
  debutText: '#0b0b18',
} as const;

/** Both fighters' lines, and a spare for the round change. */
const cache = new CanvasCache<CardSprite>(4);
let probe: SKRSContext2D | undefined;
let flamePaths: { outer: Path2D; inner: Path2D } | undefined;

function paint(canvas: Canvas, line: CardLine, w: number, scale: number, textW: number): CardSprite {
  const { h, font, flame, pad, gap } = CARD_LINE;
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  roundRect(ctx, 1, 1, w - 2, h - 2, 8);
  ctx.fillStyle = line.debut ? CARD_COLORS.debutPill : CARD_COLORS.pill;
  ctx.fill();
  if (!line.debut) {
    ctx.lineWidth = 2;
    ctx.strokeStyle = CARD_COLORS.edge;
    ctx.stroke();
  }
  const fill = line.debut ? CARD_COLORS.debutText : CARD_COLORS.text;
  drawText(ctx, line.text, pad, h / 2 + 1, { font: sans(font), fill });
  if (line.flame !== null) {
    flamePaths ??= { outer: new Path2D(FLAME.outer), inner: new Path2D(FLAME.inner) };
    const fx = pad + textW + gap;
    ctx.save();
    ctx.translate(fx, (h - flame) / 2);
    ctx.scale(flame / FLAME.size, flame / FLAME.size);
    ctx.fillStyle = FLAME.colors.outer;
    ctx.fill(flamePaths.outer);
    ctx.fillStyle = FLAME.colors.inner;
    ctx.fill(flamePaths.inner);
    ctx.restore();
    drawText(ctx, String(line.flame), fx + flame + 2, h / 2 + 1, { font: sans(font), fill: FLAME.colors.inner });
  }
  return { canvas, w, h };
}

/** The pill for this line at the context's scale, painted on first use. */
export function cardSprite(ctx: SKRSContext2D, line: CardLine): CardSprite {
  const scale = ctx.getTransform().a;
  const key = `${line.text}|${line.debut}|${line.flame}|${scale}`;
  const hit = cache.peek(key);
  if (hit) return hit;
  probe ??= createCanvas(1, 1).getContext('2d');
  probe.font = sans(CARD_LINE.font);
  const textW = probe.measureText(line.text).width;
  const streakW = line.flame === null ? 0 : CARD_LINE.gap + CARD_LINE.flame + 2 + probe.measureText(String(line.flame)).width;
  // Even widths: the pill sits on whole pixels, as the words beside it do.
  const w = 2 * Math.ceil((CARD_LINE.pad * 2 + textW + streakW) / 2);
  return cache.get(key, Math.ceil(w * scale), Math.ceil(CARD_LINE.h * scale), (canvas) => paint(canvas, line, w, scale, textW));
}

/** Blits the pill vertically centred on `y`, starting at `x` ('left') or ending there ('right'). */
export function drawCardSprite(ctx: SKRSContext2D, sprite: CardSprite, x: number, y: number, align: 'left' | 'right'): void {
  const m = ctx.getTransform();
  const scale = m.a;
  const left = align === 'left' ? x : x - sprite.w;
  // On whole output pixels, so the blit is a copy, not a resampling.
  const px = (Math.round(scale * left + m.e) - m.e) / scale;
  const py = (Math.round(scale * (y - sprite.h / 2) + m.f) - m.f) / scale;
  ctx.drawImage(sprite.canvas, px, py, sprite.w, sprite.h);
}
