/**
 * The season's line in the top row's right corner ("7 matches until the tournament", "Season 3 · Quarter-final 2 of
 * 4": @stream-fighter/view/season-line, the words the overlay and the vote page show too). A small pill painted
 * once into a canvas of its own and blitted every frame, as the card lines are (card-line.ts): it changes once a
 * round at most.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { Lang } from '@stream-fighter/view/languages';
import { seasonLine } from '@stream-fighter/view/season-line';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { drawText, ellipsize, roundRect } from './text.ts';

export type SeasonSprite = { canvas: Canvas; w: number; h: number };

/** Logical px: the pill's height, its text size (shrunk to fit the corner, down to `minFont`), the side padding. */
export const SEASON_LINE = { h: 30, font: 18, minFont: 12, pad: 10 } as const;

export const SEASON_COLORS = { pill: 'rgba(11,11,24,0.85)', edge: '#9ad1ff', text: '#ffffff' } as const;

/** The line shown and a spare for the change. */
const cache = new CanvasCache<SeasonSprite>(2);
let probe: SKRSContext2D | undefined;

/** The pill for this text at the context's scale, painted on first use; it never grows wider than the corner. */
export function seasonSprite(ctx: SKRSContext2D, text: string): SeasonSprite {
  const scale = ctx.getTransform().a;
  const key = `${text}|${scale}`;
  const hit = cache.peek(key);
  if (hit) return hit;
  const { h, pad, minFont } = SEASON_LINE;
  probe ??= createCanvas(1, 1).getContext('2d');
  probe.font = sans(SEASON_LINE.font);
  const full = probe.measureText(text).width;
  const room = LAYOUT.season.w - pad * 2;
  const font = full <= room ? SEASON_LINE.font : Math.max(minFont, Math.floor((SEASON_LINE.font * room) / full));
  probe.font = sans(font);
  // Cut only as a last resort: the longest line in the table fits at the smallest size.
  const shown = ellipsize(probe, text, room);
  const textW = probe.measureText(shown).width;
  // Even widths: the pill sits on whole pixels, as the words beside it do.
  const w = 2 * Math.ceil((pad * 2 + textW) / 2);
  return cache.get(key, Math.ceil(w * scale), Math.ceil(h * scale), (canvas) => {
    const c = canvas.getContext('2d');
    c.scale(scale, scale);
    roundRect(c, 1, 1, w - 2, h - 2, 8);
    c.fillStyle = SEASON_COLORS.pill;
    c.fill();
    c.lineWidth = 2;
    c.strokeStyle = SEASON_COLORS.edge;
    c.stroke();
    drawText(c, shown, w / 2, h / 2 + 1, { font: sans(font), fill: SEASON_COLORS.text, align: 'center' });
    return { canvas, w, h };
  });
}

/** The line, right-aligned in its corner; nothing from a room older than the cycle. */
export function drawSeasonLine(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const position = view.season?.position;
  if (!position) return;
  const sprite = seasonSprite(ctx, seasonLine(position, lang));
  const b = LAYOUT.season;
  const m = ctx.getTransform();
  const scale = m.a;
  // On whole output pixels, so the blit is a copy, not a resampling.
  const px = (Math.round(scale * (b.x + b.w - sprite.w) + m.e) - m.e) / scale;
  const py = (Math.round(scale * (b.y + (b.h - sprite.h) / 2) + m.f) - m.f) / scale;
  ctx.drawImage(sprite.canvas, px, py, sprite.w, sprite.h);
}
