/** The heads-up display over the fight: LIVE badge, title, reconnecting badge, HP bars, names, votes, timer. */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { MAX_HP } from '@stream-fighter/core';
import { onDark, shade } from '@stream-fighter/view/sprites/color';
import { pixel, sans } from './fonts.ts';
import { formatClock } from '@stream-fighter/view/format';
import type { Lang } from '@stream-fighter/view/languages';
import { clockLeftMs, votesAndShareText } from '@stream-fighter/view/round-text';
import { cardLine } from '@stream-fighter/view/fighter-card';
import { cardSprite, drawCardSprite } from './card-line.ts';
import { LAYOUT } from './layout.ts';
import type { OptionView, SceneView } from './model.ts';
import { tr } from './screen-words.ts';
import { drawText, ellipsize, fitSize, roundRect } from './text.ts';

export function drawLiveBadge(ctx: SKRSContext2D, lang: Lang, t: number): void {
  const b = LAYOUT.live;
  ctx.font = sans(22);
  const label = tr(lang, 'live');
  const w = Math.min(b.w, 52 + ctx.measureText(label).width);
  roundRect(ctx, b.x, b.y, w, b.h, 8);
  ctx.fillStyle = '#e11d2e';
  ctx.fill();
  // The dot pulses; the badge itself never disappears.
  const pulse = 0.55 + 0.45 * Math.abs(Math.sin(t / 500));
  ctx.fillStyle = `rgba(255,255,255,${pulse.toFixed(2)})`;
  ctx.beginPath();
  ctx.arc(b.x + 20, b.y + b.h / 2, 7, 0, Math.PI * 2);
  ctx.fill();
  drawText(ctx, label, b.x + 36, b.y + b.h / 2 + 1, { font: sans(22), fill: '#ffffff' });
}

export function drawReconnecting(ctx: SKRSContext2D, lang: Lang, t: number): void {
  const b = LAYOUT.reconnecting;
  roundRect(ctx, b.x, b.y, b.w, b.h, 8);
  ctx.fillStyle = '#f59e0b';
  ctx.fill();
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#1c1917';
  ctx.stroke();
  // A spinner so the badge itself shows the picture is not frozen.
  const cx = b.x + 22;
  const cy = b.y + b.h / 2;
  ctx.strokeStyle = '#1c1917';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.arc(cx, cy, 9, t / 150, t / 150 + Math.PI * 1.4);
  ctx.stroke();
  const label = tr(lang, 'reconnecting');
  const size = fitSize(ctx, label, b.w - 52, 22, sans);
  drawText(ctx, label, b.x + 42, cy + 1, { font: sans(size), fill: '#1c1917' });
}

export function drawTitle(ctx: SKRSContext2D, title: string): void {
  const b = LAYOUT.title;
  const size = fitSize(ctx, title, b.w, 24, sans, 16);
  drawText(ctx, title, b.x + b.w / 2, b.y + b.h / 2, { font: sans(size), fill: '#ffffff', stroke: '#000000', line: 5, align: 'center' });
}

export function drawTimer(ctx: SKRSContext2D, view: SceneView): void {
  const b = LAYOUT.timer;
  roundRect(ctx, b.x, b.y, b.w, b.h, 10);
  ctx.fillStyle = '#0b0b18';
  ctx.fill();
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffd60a';
  ctx.stroke();
  // After a KO or a rotate the clock stops where it was, so a KO is never mistaken for a time-out.
  const left = view.round ? clockLeftMs(view.round, view.serverNow) : view.timeLeftMs;
  const text = formatClock(left);
  const urgent = view.phase === 'live' && left <= 10_000;
  const size = text.length > 4 ? 26 : 34;
  const pop = urgent ? 1 + 0.08 * Math.max(0, Math.cos(((left % 1000) / 1000) * Math.PI)) : 1;
  drawText(ctx, text, b.x + b.w / 2, b.y + b.h / 2 + 3, {
    font: pixel(Math.round(size * pop)),
    fill: urgent ? '#ff4d4d' : '#ffffff',
    stroke: '#000000',
    line: 6,
    align: 'center',
  });
}

function drawHpBar(ctx: SKRSContext2D, o: OptionView, side: 0 | 1): void {
  const b = LAYOUT.hp[side];
  ctx.fillStyle = '#0b0b18';
  ctx.fillRect(b.x - 4, b.y - 4, b.w + 8, b.h + 8);
  ctx.fillStyle = '#3a0d12';
  ctx.fillRect(b.x, b.y, b.w, b.h);
  const frac = (x: number) => Math.max(0, Math.min(1, x / MAX_HP));
  const hpW = Math.round(b.w * frac(o.hpShown));
  const ghostW = Math.round(b.w * frac(Math.max(o.hpGhost, o.hpShown)));
  // Bars drain toward the centre, as in every fighting game: the left one from its right end, and vice versa.
  const at = (w: number) => (side === 0 ? b.x + b.w - w : b.x);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(at(ghostW), b.y, ghostW, b.h);
  const low = o.hpShown / MAX_HP < 0.25;
  const fill = low ? '#ff3b3b' : onDark(o.fighter.color);
  ctx.fillStyle = fill;
  ctx.fillRect(at(hpW), b.y, hpW, b.h);
  ctx.fillStyle = shade(fill, 1.45);
  ctx.fillRect(at(hpW), b.y + 4, hpW, 6);
  ctx.fillStyle = shade(fill, 0.7);
  ctx.fillRect(at(hpW), b.y + b.h - 8, hpW, 8);
}

function drawNameRow(ctx: SKRSContext2D, o: OptionView, side: 0 | 1, lang: Lang): void {
  const b = LAYOUT.names[side];
  const left = side === 0;
  // The letter to vote for, in a badge at the outer edge.
  const bx = left ? b.x : b.x + b.w - 40;
  roundRect(ctx, bx, b.y, 40, 40, 8);
  ctx.fillStyle = '#ffd60a';
  ctx.fill();
  drawText(ctx, o.id, bx + 20, b.y + 22, { font: pixel(22), fill: '#0b0b18', align: 'center' });
  // The card line ("S · 14-3", NEW, the flame) sits beside the name, toward the centre; a long name gives way to it.
  const card = o.card ? cardSprite(ctx, cardLine(o.card, lang)) : null;
  const room = card ? card.w + 12 : 0;
  ctx.font = sans(30);
  const name = ellipsize(ctx, o.fighter.name.toUpperCase(), b.w - 56 - room);
  drawText(ctx, name, left ? b.x + 52 : b.x + b.w - 52, b.y + 21, { font: sans(30), fill: '#ffffff', stroke: '#000000', line: 6, align: left ? 'left' : 'right' });
  if (card) {
    const nameW = ctx.measureText(name).width;
    drawCardSprite(ctx, card, left ? b.x + 52 + nameW + 12 : b.x + b.w - 52 - nameW - 12, b.y + 21, left ? 'left' : 'right');
  }
  const votes = votesAndShareText(Math.round(o.votesShown), o.pct, lang);
  drawText(ctx, votes, left ? b.x + 52 : b.x + b.w - 52, b.y + 52, { font: sans(22), fill: '#ffd60a', stroke: '#000000', line: 5, align: left ? 'left' : 'right' });
}

export function drawFightHud(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const [a, b] = view.options;
  if (a) {
    drawHpBar(ctx, a, 0);
    drawNameRow(ctx, a, 0, lang);
  }
  if (b) {
    drawHpBar(ctx, b, 1);
    drawNameRow(ctx, b, 1, lang);
  }
  drawTimer(ctx, view);
}
