/**
 * The odds strip on stream while bets are taken (issue 14: "the odds are shown live on the site and on stream"):
 * "BETS CLOSE IN 4" and the total staked over each side's fighter and what a point returns ("×1.8", "—" while
 * nobody backs it), in the words and numbers of @stream-fighter/view/odds-line, the vote page's too.
 *
 * The countdown runs to the room's closing time less the stream delay (model.ts `bets.closeLeftMs`): the stream airs
 * that much late, so what airs says "BETS CLOSED" up to the delay early and never shows bets open after the room
 * closed them. It sits bottom right (LAYOUT.odds), clear of the HP bars, names, cards and the season pill.
 *
 * It changes at a bet or a second of the countdown, not every frame: painted once per change into a canvas of its
 * own and blitted, as the season pill and the card lines are.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { Lang } from '@stream-fighter/view/languages';
import { oddsStrip, type OddsStrip } from '@stream-fighter/view/odds-line';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { drawText, ellipsize, roundRect } from './text.ts';

/** Logical px: padding, the rows' centres, text sizes (shrunk to fit down to `minFont`), the gaps. */
export const ODDS_LINE = { pad: 12, headY: 20, sidesY: 52, headFont: 18, stakedFont: 15, sideFont: 21, manySideFont: 16, minSideFont: 16, minFont: 11, gap: 12 } as const;

export const ODDS_COLORS = {
  strip: 'rgba(11,11,24,0.9)',
  /** The edge and the countdown: yellow while bets are open on stream, red once closed. */
  open: '#ffd60a',
  closed: '#ff4d4d',
  staked: '#9ad1ff',
  name: '#ffffff',
  mult: '#ffd60a',
} as const;

export type OddsSprite = { canvas: Canvas; w: number; h: number };

/** The strip shown and a spare for the next change. */
const cache = new CanvasCache<OddsSprite>(2);

/** The sizes at which the countdown and the total fit one row together: both shrink alike, the total is cut last. */
function headSizes(ctx: SKRSContext2D, closing: string, staked: string, room: number): { head: number; staked: number } {
  const { headFont, stakedFont, minFont, gap } = ODDS_LINE;
  ctx.font = sans(headFont);
  const a = ctx.measureText(closing).width;
  ctx.font = sans(stakedFont);
  const b = ctx.measureText(staked).width;
  const k = Math.min(1, room / (a + gap + b));
  return { head: Math.max(minFont, Math.floor(headFont * k)), staked: Math.max(minFont, Math.floor(stakedFont * k)) };
}

/** Between a name and its multiplier, logical px. */
const MULT_GAP = 8;

/**
 * Each side's width in a row of `room`: its own when all fit; else the narrow keep theirs and the wide share what is
 * left evenly, so a long name is cut only as far as the other sides need.
 */
export function fairWidths(natural: readonly number[], room: number): number[] {
  const out = natural.slice();
  const order = natural.map((_, i) => i).sort((a, b) => natural[a]! - natural[b]!);
  let left = room;
  let count = natural.length;
  for (const i of order) {
    out[i] = Math.min(natural[i]!, left / count);
    left -= out[i]!;
    count--;
  }
  return out;
}

function paint(canvas: Canvas, s: OddsStrip, scale: number): OddsSprite {
  const { w, h } = LAYOUT.odds;
  const { pad, headY, sidesY, gap } = ODDS_LINE;
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  const accent = s.closed ? ODDS_COLORS.closed : ODDS_COLORS.open;
  roundRect(ctx, 1.5, 1.5, w - 3, h - 3, 10);
  ctx.fillStyle = ODDS_COLORS.strip;
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = accent;
  ctx.stroke();
  const inner = w - pad * 2;
  // Shouted like the stream's badges (screen-words.ts): English and Spanish need no locale for upper case.
  const closing = s.closing.toUpperCase();
  const size = headSizes(ctx, closing, s.staked, inner);
  drawText(ctx, closing, pad, headY, { font: sans(size.head), fill: accent });
  ctx.font = sans(size.head);
  const closingW = ctx.measureText(closing).width;
  ctx.font = sans(size.staked);
  const staked = ellipsize(ctx, s.staked, inner - closingW - gap);
  drawText(ctx, staked, w - pad, headY, { font: sans(size.staked), fill: ODDS_COLORS.staked, align: 'right' });
  // One column per side, spread across the row: two mirror the fighters, A at the left edge and B at the right.
  // Names shrink a little before they are cut (down to `minSideFont`), then share the row fairly.
  const n = s.sides.length;
  const room = inner - gap * Math.max(0, n - 1);
  const full = n > 2 ? ODDS_LINE.manySideFont : ODDS_LINE.sideFont;
  const measure = (px: number) => {
    ctx.font = sans(px);
    const multW = s.sides.map((side) => ctx.measureText(side.mult).width);
    return { multW, natural: s.sides.map((side, i) => ctx.measureText(side.name).width + MULT_GAP + multW[i]!) };
  };
  const first = measure(full);
  const want = first.natural.reduce((a, b) => a + b, 0);
  const font = want <= room ? full : Math.max(ODDS_LINE.minSideFont, Math.floor((full * room) / want));
  const { multW, natural } = font === full ? first : measure(font);
  const widths = fairWidths(natural, room);
  const names = s.sides.map((side, i) => ellipsize(ctx, side.name, Math.max(24, widths[i]! - MULT_GAP - multW[i]!)));
  const nameW = names.map((name) => ctx.measureText(name).width);
  const used = nameW.reduce((sum, nw, i) => sum + nw + MULT_GAP + multW[i]!, 0);
  const spread = n > 1 ? (inner - used) / (n - 1) : 0;
  let x = pad;
  s.sides.forEach((side, i) => {
    drawText(ctx, names[i]!, x, sidesY, { font: sans(font), fill: ODDS_COLORS.name, stroke: '#000000', line: 4 });
    drawText(ctx, side.mult, x + nameW[i]! + MULT_GAP, sidesY, { font: sans(font), fill: ODDS_COLORS.mult, stroke: '#000000', line: 4 });
    x += nameW[i]! + MULT_GAP + multW[i]! + spread;
  });
  return { canvas, w, h };
}

/** The strip for these words at the context's scale, painted on first use. */
export function oddsSprite(ctx: SKRSContext2D, s: OddsStrip): OddsSprite {
  const scale = ctx.getTransform().a;
  const key = `${scale}|${JSON.stringify(s)}`;
  const hit = cache.peek(key);
  if (hit) return hit;
  const { w, h } = LAYOUT.odds;
  return cache.get(key, Math.ceil(w * scale), Math.ceil(h * scale), (canvas) => paint(canvas, s, scale));
}

/** The strip while the view has bets open (model.ts `bets`); nothing otherwise. */
export function drawOdds(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const bets = view.bets;
  if (!bets) return;
  const options = bets.matchup.options;
  const name = (id: string) => options.find((o) => o.id === id)?.fighter.name ?? id;
  const sprite = oddsSprite(ctx, oddsStrip(bets.odds, name, bets.closeLeftMs, lang));
  const b = LAYOUT.odds;
  const m = ctx.getTransform();
  const scale = m.a;
  // On whole output pixels, so the blit is a copy, not a resampling.
  const px = (Math.round(scale * b.x + m.e) - m.e) / scale;
  const py = (Math.round(scale * b.y + m.f) - m.f) / scale;
  ctx.drawImage(sprite.canvas, px, py, sprite.w, sprite.h);
}
