/**
 * The feed of the latest chat voters ("gamer42 → GRIZZLE") above the QR panel. The room decides who is on it (the
 * live round's last CHAT_FEED_MAX, a few names a second, through the shout-out filter); this decides how they come
 * and go, from the room's clock alone: the newest slides in at the bottom and pushes the others up, and each fades
 * out FEED.showMs after it came.
 *
 * Names are whatever a viewer calls themselves. Each row is painted once into a canvas of its own, the name cut
 * with an ellipsis to what is left beside the fighter and clipped to its own place (glyphs can reach past what
 * measureText says: combining marks, a fallback font), and the rows are drawn clipped to the feed's box: nothing a
 * name holds can draw outside it. The painting (text layout, the costly part) happens once per name; a frame
 * blits at most CHAT_FEED_MAX rows.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { CHAT_FEED_MAX } from '@stream-fighter/core';
import type { ChatFeedEntry } from '@stream-fighter/core';
import { onDark } from '@stream-fighter/view/sprites/color';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { drawText, ellipsize, roundRect } from './text.ts';

export const FEED = {
  /** How long a name stays, fade included, ms of room time. */
  showMs: 6000,
  fadeMs: 800,
  slideMs: 300,
  /**
   * Names the room admits together (it takes up to three a second, often in one batch with one time) come in
   * one after another, this far apart.
   */
  staggerMs: 350,
  /** A name comes in this long after the room took it, so the snapshot carrying it is here for the whole slide. */
  delayMs: 200,
} as const;

const FONT = 17;
const PILL_H = 24;
const PAD = 8;
const GAP = 6;
const ARROW_W = 14;
/** The fighter's name may take this much of a row; the voter's name gets the rest. */
const LABEL_MAX = 142;

export type FeedRow = { entry: ChatFeedEntry; /** Logical px. */ x: number; y: number; alpha: number };

const easeOut = (x: number) => 1 - (1 - x) ** 3;

/** Where each name of the feed is at room time `now`, newest first; names not in yet or gone are left out. */
export function feedRows(entries: readonly ChatFeedEntry[], now: number): FeedRow[] {
  const b = LAYOUT.chatFeed;
  const rowH = LAYOUT.chatRowH;
  let prev = -Infinity;
  // The room sends them oldest first.
  const timed = entries.slice(-CHAT_FEED_MAX).map((entry) => {
    prev = Math.max(entry.at + FEED.delayMs, prev + FEED.staggerMs);
    return { entry, age: now - prev };
  });
  const shown = timed.filter((r) => r.age >= 0 && r.age < FEED.showMs).reverse();
  if (shown.length === 0) return [];
  // Until the newest is in, the others are still on their way up from one row lower.
  const p = easeOut(Math.min(1, shown[0]!.age / FEED.slideMs));
  return shown.map(({ entry, age }, slot) => ({
    entry,
    x: b.x + (slot === 0 ? (1 - p) * b.w : 0),
    y: b.y + b.h - (slot + 1) * rowH + (1 - p) * rowH,
    alpha: Math.min(1, (FEED.showMs - age) / FEED.fadeMs),
  }));
}

/** One row per name on screen, and a few to spare: each repainted in place when a new name needs one (same size). */
const rows = new CanvasCache<{ canvas: Canvas }>(CHAT_FEED_MAX + 3);

/**
 * The feed, `alpha` times as opaque as it is (the cards that cover the fight fade it out). Entries for options not
 * in the view's round are skipped.
 */
export function drawChatFeed(ctx: SKRSContext2D, view: SceneView, scale: number, alpha = 1): void {
  if (alpha <= 0 || view.chatFeed.length === 0) return;
  const labels = new Map(view.options.map((o) => [o.id, { text: view.fight ? o.fighter.name.toUpperCase() : o.id, color: onDark(o.fighter.color) }]));
  const placed = feedRows(view.chatFeed.filter((e) => labels.has(e.option)), view.serverNow);
  if (placed.length === 0) return;
  const b = LAYOUT.chatFeed;
  ctx.save();
  ctx.beginPath();
  ctx.rect(b.x, b.y, b.w, b.h);
  ctx.clip();
  for (const r of placed) {
    const label = labels.get(r.entry.option)!;
    const row = rowCanvas(r.entry.name, label.text, label.color, scale);
    ctx.globalAlpha = alpha * r.alpha;
    // On whole output pixels, so the blit is a copy, not a resampling.
    ctx.drawImage(row, Math.round(r.x * scale) / scale, Math.round(r.y * scale) / scale, row.width / scale, row.height / scale);
  }
  ctx.restore();
}

function rowCanvas(name: string, label: string, color: string, scale: number): Canvas {
  const w = LAYOUT.chatFeed.w;
  const h = LAYOUT.chatRowH;
  const key = `${scale}|${color}|${label}|${name}`;
  return rows.get(key, Math.ceil(w * scale), Math.ceil(h * scale), (canvas) => {
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    paintRow(ctx, name, label, color, w, h);
    return { canvas };
  }).canvas;
}

export type RowLayout = { name: string; nameW: number; label: string; labelW: number; pillW: number };

/**
 * The words of a row `w` wide at the feed's font (set on ctx here): the fighter's name cut to LABEL_MAX, the voter's
 * name with line breaks and control characters as spaces, cut to what is left, and the pill around them.
 */
export function layoutRow(ctx: SKRSContext2D, name: string, label: string, w: number): RowLayout {
  ctx.font = sans(FONT);
  const labelText = ellipsize(ctx, label, LABEL_MAX);
  const labelW = Math.min(LABEL_MAX, ctx.measureText(labelText).width);
  const nameMax = w - PAD * 2 - GAP * 2 - ARROW_W - labelW;
  const nameText = ellipsize(ctx, name.replace(/[\p{Cc}\s]+/gu, ' ').trim(), nameMax);
  const nameW = Math.min(nameMax, ctx.measureText(nameText).width);
  return { name: nameText, nameW, label: labelText, labelW, pillW: PAD * 2 + nameW + GAP * 2 + ARROW_W + labelW };
}

/** A pill at the row's right end: name, arrow, the fighter's name (or a poll's option letter) in its colour. */
function paintRow(ctx: SKRSContext2D, name: string, label: string, color: string, w: number, h: number): void {
  const row = layoutRow(ctx, name, label, w);
  const x = w - row.pillW;
  const top = (h - PILL_H) / 2;
  const mid = h / 2 + 1;
  roundRect(ctx, x, top, row.pillW, PILL_H, 8);
  ctx.fillStyle = 'rgba(11,11,24,0.86)';
  ctx.fill();
  ctx.save();
  ctx.beginPath();
  ctx.rect(x + PAD, 0, row.nameW, h);
  ctx.clip();
  // Left to right whatever the name's script: its own runs still read right to left inside its place.
  ctx.direction = 'ltr';
  drawText(ctx, row.name, x + PAD, mid, { font: sans(FONT), fill: '#ffffff' });
  ctx.restore();
  // The arrow is drawn, not typed: the stream's fonts have no arrow glyph.
  const ax = x + PAD + row.nameW + GAP;
  ctx.fillStyle = '#9ca3af';
  ctx.fillRect(ax, mid - 1.5, ARROW_W - 5, 3);
  ctx.beginPath();
  ctx.moveTo(ax + ARROW_W, mid);
  ctx.lineTo(ax + ARROW_W - 7, mid - 6);
  ctx.lineTo(ax + ARROW_W - 7, mid + 6);
  ctx.closePath();
  ctx.fill();
  ctx.save();
  ctx.beginPath();
  ctx.rect(ax + ARROW_W + GAP, 0, row.labelW, h);
  ctx.clip();
  drawText(ctx, row.label, ax + ARROW_W + GAP, mid, { font: sans(FONT), fill: color });
  ctx.restore();
}
