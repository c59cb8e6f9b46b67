/** The bars scene, for polls of 3–4 options (and any screen set to 'bars'): one horizontal bar per option. */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { onDark, shade } from '@stream-fighter/view/sprites/color';
import { pixel, sans } from './fonts.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { votesAndShareText } from '@stream-fighter/view/round-text';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { tr } from './screen-words.ts';
import { drawText, ellipsize, roundRect } from './text.ts';

const BAR_X = 128;
/** Longest bar (the leader's), logical px; room is left on the right for the count. */
export const BAR_MAX = 600;

/** Bar length for each option: proportional to its votes, the leader's bar full. */
export function barLengths(votes: readonly number[]): number[] {
  const max = Math.max(0, ...votes);
  return votes.map((v) => (max <= 0 ? 0 : (BAR_MAX * Math.max(0, v)) / max));
}

export function barRow(i: number, n: number): { y: number; h: number } {
  const b = LAYOUT.bars;
  const h = b.h / Math.max(1, n);
  return { y: b.y + i * h, h };
}

export function drawBars(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const b = LAYOUT.bars;
  drawText(ctx, tr(lang, 'poll'), b.x, b.y - 36, { font: sans(28), fill: '#ffd60a', stroke: '#000000', line: 6 });
  const lengths = barLengths(view.options.map((o) => o.votesShown));
  const leader = Math.max(...view.options.map((o) => o.votes));
  view.options.forEach((o, i) => {
    const row = barRow(i, view.options.length);
    const barH = Math.min(44, row.h - 52);
    const barY = row.y + 42;
    roundRect(ctx, b.x, row.y + 6, 52, 52, 10);
    ctx.fillStyle = '#ffd60a';
    ctx.fill();
    drawText(ctx, o.id, b.x + 26, row.y + 34, { font: pixel(26), fill: '#0b0b18', align: 'center' });
    ctx.font = sans(28);
    const name = ellipsize(ctx, o.fighter.name, BAR_MAX);
    drawText(ctx, name, BAR_X, row.y + 20, { font: sans(28), fill: '#ffffff', stroke: '#000000', line: 6 });
    ctx.fillStyle = 'rgba(255,255,255,0.12)';
    ctx.fillRect(BAR_X, barY, BAR_MAX, barH);
    const len = Math.round(lengths[i] ?? 0);
    const col = onDark(o.fighter.color);
    ctx.fillStyle = col;
    ctx.fillRect(BAR_X, barY, len, barH);
    ctx.fillStyle = shade(col, 1.4);
    ctx.fillRect(BAR_X, barY, len, Math.max(2, barH / 6));
    const label = votesAndShareText(Math.round(o.votesShown), o.pct, lang);
    drawText(ctx, label, BAR_X + len + 16, barY + barH / 2 + 1, { font: sans(26), fill: '#ffffff', stroke: '#000000', line: 6 });
    if (leader > 0 && o.votes === leader && view.phase === 'live') {
      drawText(ctx, tr(lang, 'leading'), BAR_X + BAR_MAX, row.y + 20, { font: sans(18), fill: '#ffd60a', stroke: '#000000', line: 5, align: 'right' });
    }
  });
}
