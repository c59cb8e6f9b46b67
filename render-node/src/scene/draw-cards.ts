/**
 * The big cards between the action: GET READY / FIGHT!, K.O.! / TIME!, the winner (or draw) and then, while the
 * season has a bracket to show, the bracket card (draw-bracket.ts), and up next.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { BracketView, Matchup, SeasonOnAir } from '@stream-fighter/core';
import { pixel, sans } from './fonts.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { stageName, totalVotesText, votesAndShareText } from '@stream-fighter/view/round-text';
import { drawBracket } from './draw-bracket.ts';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { tr, type ScreenWord } from './screen-words.ts';
import { drawText, ellipsize, fitSize, roundRect } from './text.ts';
import { cardLengthMs, handOver } from './transition.ts';

const FIGHT_FLASH_MS = 1200;

/** Grows from 0.4 to a slight overshoot and settles: the classic arcade pop. */
function pop(ms: number): number {
  const p = Math.min(1, ms / 260);
  return p < 1 ? 0.4 + 0.75 * p : 1 + 0.05 * Math.max(0, 1 - (ms - 260) / 200);
}

function bigWord(ctx: SKRSContext2D, text: string, ms: number, fill: string, cy = LAYOUT.card.y + LAYOUT.card.h / 2): void {
  const b = LAYOUT.card;
  const size = fitSize(ctx, text, b.w - 40, 104, pixel, 30);
  const s = pop(ms);
  ctx.save();
  ctx.translate(b.x + b.w / 2, cy);
  ctx.scale(s, s);
  drawText(ctx, text, 6, 8, { font: pixel(size), fill: '#000000', align: 'center' });
  drawText(ctx, text, 0, 0, { font: pixel(size), fill, stroke: '#ffd60a', line: 10, align: 'center' });
  ctx.restore();
}

/**
 * How opaque a card is: enough that bars, names and numbers under it never read through (white under it lifts the
 * background by at most 5 %), while the fight stays faintly visible around the words.
 */
export const CARD_ALPHA = 0.95;

function band(ctx: SKRSContext2D, y: number, h: number): void {
  const b = LAYOUT.card;
  bandAt(ctx, b.x, y, b.w, h);
}

function bandAt(ctx: SKRSContext2D, x: number, y: number, w: number, h: number): void {
  roundRect(ctx, x, y, w, h, 16);
  ctx.fillStyle = `rgba(11,11,24,${CARD_ALPHA})`;
  ctx.fill();
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffd60a';
  ctx.stroke();
}

/**
 * Every option's name, "A vs B vs C vs D": one line when it fits at 70 % of `size` or more, otherwise two rows
 * (the first half of the options, then "vs" and the rest), each shrunk to fit and cut only as a last resort, so
 * a 3–4 option poll never loses its last options to an ellipsis. Returns the rows to draw.
 */
export function lineupRows(ctx: SKRSContext2D, names: readonly string[], width: number, size: number, lang: Lang): Array<{ text: string; size: number }> {
  const vs = `  ${tr(lang, 'versus')}  `;
  const one = names.join(vs);
  const fitted = fitSize(ctx, one, width, size, sans, 10);
  if (fitted >= size * 0.7 || names.length < 2) {
    ctx.font = sans(fitted);
    return [{ text: ellipsize(ctx, one, width), size: fitted }];
  }
  const half = Math.ceil(names.length / 2);
  const rowSize = Math.round(size * 0.8);
  return [names.slice(0, half).join(vs), `${vs.trim()}  ${names.slice(half).join(vs)}`].map((row) => {
    const sz = fitSize(ctx, row, width, rowSize, sans, Math.round(size * 0.45));
    ctx.font = sans(sz);
    return { text: ellipsize(ctx, row, width), size: sz };
  });
}

/** Draws the lineup's rows around cy, centred on x or starting at x. */
function drawLineup(ctx: SKRSContext2D, m: Matchup, x: number, cy: number, width: number, size: number, lang: Lang, align: 'left' | 'center'): void {
  const rows = lineupRows(ctx, m.options.map((o) => o.fighter.name), width, size, lang);
  const gap = rows.length > 1 ? Math.max(...rows.map((r) => r.size)) * 1.15 : 0;
  rows.forEach((r, i) => {
    const y = cy + (i - (rows.length - 1) / 2) * gap;
    drawText(ctx, r.text, x, y, { font: sans(r.size), fill: '#ffffff', stroke: '#000000', line: Math.max(3, Math.round(r.size / 6)), align });
  });
}

function drawUpNext(ctx: SKRSContext2D, next: Matchup, lang: Lang): void {
  const b = LAYOUT.card;
  // Just under the winner card (which ends 40 px above the card box), clear of the shout-outs below.
  const y = b.y + b.h - 24;
  const rows = lineupRows(ctx, next.options.map((o) => o.fighter.name), b.w - 48, 30, lang).length;
  const h = rows > 1 ? 112 : 86;
  band(ctx, y, h);
  drawText(ctx, tr(lang, 'upNext'), b.x + 24, y + 26, { font: sans(22), fill: '#ffd60a' });
  drawLineup(ctx, next, b.x + 24, y + (rows > 1 ? 74 : 60), b.w - 48, 30, lang, 'left');
  drawText(ctx, stageName(next.stage, lang), b.x + b.w - 24, y + 26, { font: sans(20), fill: '#9ad1ff', align: 'right' });
}

function drawWinner(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const round = view.round!;
  const b = LAYOUT.card;
  const winner = view.options.find((o) => o.id === round.outcome?.winner);
  band(ctx, b.y + 40, b.h - 80);
  const title = winner ? tr(lang, 'wins', { name: winner.fighter.name }) : tr(lang, 'draw');
  const size = fitSize(ctx, title, b.w - 60, 56, sans, 24);
  const s = pop(view.phaseMs);
  ctx.save();
  ctx.translate(b.x + b.w / 2, b.y + 120);
  ctx.scale(s, s);
  drawText(ctx, title, 0, 0, { font: sans(size), fill: winner ? '#ffd60a' : '#ffffff', stroke: '#000000', line: 8, align: 'center' });
  ctx.restore();
  const sub = winner
    ? votesAndShareText(winner.votes, winner.pct, lang)
    : view.fight
      ? tr(lang, 'drawSub')
      : totalVotesText(view.totalVotes, lang);
  drawText(ctx, sub, b.x + b.w / 2, b.y + 188, { font: sans(30), fill: '#ffffff', stroke: '#000000', line: 6, align: 'center' });
}

/** Draws `fn` at `alpha` times the current opacity. */
function faded(ctx: SKRSContext2D, alpha: number, fn: () => void): void {
  if (alpha <= 0) return;
  if (alpha >= 1) return fn();
  ctx.save();
  ctx.globalAlpha *= alpha;
  fn();
  ctx.restore();
}

function drawBracketCard(ctx: SKRSContext2D, season: SeasonOnAir & { bracket: BracketView }, lang: Lang): void {
  const b = LAYOUT.bracket;
  bandAt(ctx, b.x, b.y, b.w, b.h);
  drawBracket(ctx, season, lang);
}

const hasBracket = (season: SeasonOnAir | null): season is SeasonOnAir & { bracket: BracketView } => season?.bracket != null;

const END_WORD: Record<'ko' | 'timeout' | 'rotate', ScreenWord> = { ko: 'ko', timeout: 'time', rotate: 'roundOver' };

export function drawCards(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const round = view.round;
  if (!round) return;
  const b = LAYOUT.card;
  switch (round.phase) {
    case 'upcoming': {
      band(ctx, b.y + 20, b.h - 40);
      const left = Math.max(0, round.liveAt - view.serverNow);
      drawText(ctx, tr(lang, 'getReady'), b.x + b.w / 2, b.y + 76, { font: sans(44), fill: '#ffd60a', stroke: '#000000', line: 8, align: 'center' });
      drawLineup(ctx, round.matchup, b.x + b.w / 2, b.y + 150, b.w - 60, 40, lang, 'center');
      drawText(ctx, String(Math.max(1, Math.ceil(left / 1000))), b.x + b.w / 2, b.y + 222, { font: pixel(48), fill: '#ff4d4d', stroke: '#000000', line: 8, align: 'center' });
      return;
    }
    case 'live':
      if (view.phaseMs < FIGHT_FLASH_MS && view.fight) bigWord(ctx, tr(lang, 'fight'), view.phaseMs, '#ff4d4d');
      return;
    case 'finished':
      bigWord(ctx, tr(lang, END_WORD[round.outcome?.reason ?? 'timeout']), view.phaseMs, '#e11d2e');
      return;
    case 'results': {
      // The winner first; then, in a tournament (and the exhibitions after it), the bracket with that result in it.
      const season = view.season;
      if (hasBracket(season)) {
        const hand = handOver(view.phaseMs, cardLengthMs(round));
        faded(ctx, hand.first, () => drawWinner(ctx, view, lang));
        faded(ctx, hand.second, () => drawBracketCard(ctx, season, lang));
      } else {
        drawWinner(ctx, view, lang);
      }
      if (view.upNext) drawUpNext(ctx, view.upNext, lang);
      return;
    }
  }
}
