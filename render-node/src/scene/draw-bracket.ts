/**
 * The bracket card between tournament rounds (issue 14): the eight seeds in four quarter-finals, the semi-finals
 * and the final, drawn from both sides toward the middle as broadcasts draw them (QF1 and QF2 feed the left
 * semi-final, QF3 and QF4 the right one, core/season/cycle.ts). Who went through is marked in gold and who went out
 * is dimmed, the match to be played next is outlined in red, and once the final is played the champion stands
 * under it.
 *
 * The card changes once a round, so its contents are painted once into a canvas of their own and blitted every
 * frame over the card's band (draw-cards.ts draws the band, the same one every card has): the frame pays one copy,
 * not some thirty outlined words, boxes and lines.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { BracketMatchView, BracketSideView, BracketView, SeasonOnAir } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import type { Lang } from '@stream-fighter/view/languages';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { LAYOUT, type Box } from './layout.ts';
import { tr } from './screen-words.ts';
import { drawText, ellipsize, fitSize, roundRect } from './text.ts';

export const BRACKET_COLORS = {
  title: '#ffd60a',
  slot: '#1c1c36',
  slotEdge: '#3a3a60',
  name: '#ffffff',
  seed: '#9ad1ff',
  /** Went through: the name and the slot's edge. */
  won: '#ffd60a',
  /** Went out. */
  lost: '#7d7d99',
  /** The match to be played next. */
  current: '#ff4d4d',
  line: '#5a5a80',
  champion: '#ffd60a',
} as const;

/**
 * Where the card's parts sit, logical px inside LAYOUT.bracket: the title row, then five columns (QF, SF, final,
 * SF, QF); a match is two slots one above the other.
 */
export const BRACKET_GRID = {
  titleY: 22,
  bodyTop: 44,
  bodyBottom: 276,
  slotH: 26,
  slotGap: 4,
  font: 16,
  seedFont: 14,
  /** Where the name starts in a slot, after the seed number. */
  nameX: 25,
  /** Column x and width, left to right. */
  cols: [
    { x: 10, w: 188 },
    { x: 208, w: 156 },
    { x: 374, w: 152 },
    { x: 536, w: 156 },
    { x: 702, w: 188 },
  ],
  /** The final's centre line, above the middle so the champion fits under it. */
  finalY: 128,
  /** Under the final and the semi-finals (which end at y 188), as wide as the middle three columns allow. */
  champion: { y: 202, h: 60, w: 320 },
} as const;

type Placed = { col: number; cy: number };

/** Each match's column and vertical centre: 0–3 the quarter-finals, 4–5 the semi-finals, 6 the final. */
export function matchPlaces(): Placed[] {
  const { bodyTop, bodyBottom, finalY } = BRACKET_GRID;
  const body = bodyBottom - bodyTop;
  const quarter = (k: number) => bodyTop + (body * k) / 4;
  return [
    { col: 0, cy: quarter(1) },
    { col: 0, cy: quarter(3) },
    { col: 4, cy: quarter(1) },
    { col: 4, cy: quarter(3) },
    { col: 1, cy: quarter(2) },
    { col: 3, cy: quarter(2) },
    { col: 2, cy: finalY },
  ];
}

/** A match's box (both slots), logical px relative to the card; with `pad` around it. */
export function matchBox(index: number, pad = 0): Box {
  const { cols, slotH, slotGap } = BRACKET_GRID;
  const p = matchPlaces()[index]!;
  const col = cols[p.col]!;
  const h = slotH * 2 + slotGap;
  return { x: col.x - pad, y: p.cy - h / 2 - pad, w: col.w + pad * 2, h: h + pad * 2 };
}

/** The champion's box, relative to the card. */
export function championBox(): Box {
  const col = BRACKET_GRID.cols[2];
  const { y, h, w } = BRACKET_GRID.champion;
  return { x: col.x + col.w / 2 - w / 2, y, w, h };
}

/** The match to be played next, from the position (null outside a tournament: seeding, exhibitions). */
export function currentMatch(season: SeasonOnAir): number | null {
  const p = season.position;
  return p.stage === 'tournament' && season.bracket?.season === p.season ? p.overall - 1 : null;
}

export type BracketSprite = { canvas: Canvas; w: number; h: number };

/** The card shown and a spare for the change. */
const cache = new CanvasCache<BracketSprite>(2);
/** The last bracket's key, by identity: snapshots carry the same object until the season changes (snapshot-delta.ts). */
let memo: { bracket: BracketView; current: number | null; key: string } | null = null;

function keyOf(bracket: BracketView, current: number | null): string {
  if (memo && memo.bracket === bracket && memo.current === current) return memo.key;
  const side = (s: BracketSideView | null) => (s ? `${s.id}/${s.seed}/${s.name}` : '-');
  const key = `${bracket.season}|${current}|${bracket.matches.map((m) => `${side(m.a)},${side(m.b)},${m.winner ?? ''}`).join(';')}`;
  memo = { bracket, current, key };
  return key;
}

function drawSlot(ctx: SKRSContext2D, side: BracketSideView | null, m: BracketMatchView, x: number, y: number, w: number, lang: Lang): void {
  const { slotH, font, seedFont, nameX } = BRACKET_GRID;
  const won = side !== null && m.winner === side.id;
  const lost = side !== null && m.winner !== null && !won;
  roundRect(ctx, x, y, w, slotH, 6);
  ctx.fillStyle = BRACKET_COLORS.slot;
  ctx.fill();
  ctx.lineWidth = won ? 2.5 : 1.5;
  ctx.strokeStyle = won ? BRACKET_COLORS.won : BRACKET_COLORS.slotEdge;
  ctx.stroke();
  if (!side) return;
  const cy = y + slotH / 2 + 1;
  drawText(ctx, formatNumber(side.seed, lang), x + nameX / 2 + 1, cy, { font: sans(seedFont), fill: lost ? BRACKET_COLORS.lost : BRACKET_COLORS.seed, align: 'center' });
  ctx.font = sans(font);
  const name = ellipsize(ctx, side.name, w - nameX - 6);
  drawText(ctx, name, x + nameX, cy, { font: sans(font), fill: won ? BRACKET_COLORS.won : lost ? BRACKET_COLORS.lost : BRACKET_COLORS.name });
}

/** The lines from two matches to the slots they feed: out of each match's inner edge, across the gap, into the slot. */
function drawFeeds(ctx: SKRSContext2D): void {
  const { cols, slotH, slotGap } = BRACKET_GRID;
  const places = matchPlaces();
  const slotY = (index: number, slot: 0 | 1) => places[index]!.cy + (slot === 0 ? -1 : 1) * (slotH + slotGap) / 2;
  const feeds: Array<[from: number, to: number, slot: 0 | 1]> = [
    [0, 4, 0],
    [1, 4, 1],
    [2, 5, 0],
    [3, 5, 1],
    [4, 6, 0],
    [5, 6, 1],
  ];
  ctx.strokeStyle = BRACKET_COLORS.line;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const [from, to, slot] of feeds) {
    const a = cols[places[from]!.col]!;
    const b = cols[places[to]!.col]!;
    const leftward = b.x < a.x;
    const x0 = leftward ? a.x : a.x + a.w;
    const x1 = leftward ? b.x + b.w : b.x;
    const mid = (x0 + x1) / 2;
    const y0 = places[from]!.cy;
    const y1 = slotY(to, slot);
    ctx.moveTo(x0, y0);
    ctx.lineTo(mid, y0);
    ctx.lineTo(mid, y1);
    ctx.lineTo(x1, y1);
  }
  ctx.stroke();
}

function paint(canvas: Canvas, bracket: BracketView, current: number | null, lang: Lang, scale: number): BracketSprite {
  const { w, h } = LAYOUT.bracket;
  const { cols, slotH, slotGap, titleY } = BRACKET_GRID;
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  const title = tr(lang, 'bracket', { n: formatNumber(bracket.season, lang) });
  drawText(ctx, title, w / 2, titleY, { font: sans(fitSize(ctx, title, w - 40, 22, sans, 14)), fill: BRACKET_COLORS.title, stroke: '#000000', line: 4, align: 'center' });
  drawFeeds(ctx);
  const places = matchPlaces();
  bracket.matches.forEach((m, i) => {
    const p = places[i];
    if (!p) return;
    const col = cols[p.col]!;
    const top = p.cy - slotH - slotGap / 2;
    if (i === current) {
      const b = matchBox(i, 4);
      roundRect(ctx, b.x, b.y, b.w, b.h, 9);
      ctx.lineWidth = 3;
      ctx.strokeStyle = BRACKET_COLORS.current;
      ctx.stroke();
    }
    drawSlot(ctx, m.a, m, col.x, top, col.w, lang);
    drawSlot(ctx, m.b, m, col.x, top + slotH + slotGap, col.w, lang);
  });
  const final = bracket.matches[bracket.matches.length - 1];
  const champion = final?.winner ? (final.a?.id === final.winner ? final.a : final.b) : null;
  if (champion) {
    const b = championBox();
    roundRect(ctx, b.x, b.y, b.w, b.h, 10);
    ctx.fillStyle = BRACKET_COLORS.slot;
    ctx.fill();
    ctx.lineWidth = 3;
    ctx.strokeStyle = BRACKET_COLORS.champion;
    ctx.stroke();
    drawText(ctx, tr(lang, 'champion'), b.x + b.w / 2, b.y + 16, { font: sans(15), fill: BRACKET_COLORS.champion, align: 'center' });
    ctx.font = sans(22);
    const name = ellipsize(ctx, champion.name, b.w - 20);
    drawText(ctx, name, b.x + b.w / 2, b.y + 41, { font: sans(22), fill: BRACKET_COLORS.name, stroke: '#000000', line: 4, align: 'center' });
  }
  return { canvas, w, h };
}

/** The card's contents for this bracket at the context's scale, painted on first use. */
export function bracketSprite(ctx: SKRSContext2D, bracket: BracketView, current: number | null, lang: Lang): BracketSprite {
  const scale = ctx.getTransform().a;
  const key = `${lang}|${scale}|${keyOf(bracket, current)}`;
  const { w, h } = LAYOUT.bracket;
  return cache.get(key, Math.ceil(w * scale), Math.ceil(h * scale), (canvas) => paint(canvas, bracket, current, lang, scale));
}

/** Blits the contents onto the card's box (the caller has drawn the band under them). */
export function drawBracket(ctx: SKRSContext2D, season: SeasonOnAir & { bracket: BracketView }, lang: Lang): void {
  const sprite = bracketSprite(ctx, season.bracket, currentMatch(season), lang);
  const b = LAYOUT.bracket;
  ctx.drawImage(sprite.canvas, b.x, b.y, sprite.w, sprite.h);
}

