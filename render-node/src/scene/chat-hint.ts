/**
 * The QR panel's second way to vote: "or type !a / !b in chat" in a dark block under the code, the commands in
 * yellow. The words come from the one table (`stream.chatHint`) and are wrapped onto two lines at the largest size
 * that fits the panel; the block is painted once per language, commands and scale and then blitted, so it costs a
 * frame one drawImage.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { OptionId } from '@stream-fighter/core';
import { chatCommands } from '@stream-fighter/view/chat-commands';
import type { Lang } from '@stream-fighter/view/languages';
import { CanvasCache } from './canvas-cache.ts';
import { sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import { tr } from './screen-words.ts';
import { roundRect } from './text.ts';

/** Largest and smallest type, logical px: 13 px of the heavy sans is still read at 720p; below it, never. */
const MAX_SIZE = 17;
export const HINT_MIN_SIZE = 13;
const LINE_GAP = 21;
const PAD = 6;
const HOT = '#ffd60a';

export type HintWord = { text: string; hot: boolean };
export type HintLayout = { size: number; lines: HintWord[][] };

/** The block's box relative to the panel's top-left (layout.ts): under the URL, inside the panel's border. */
export const HINT_BOX = { x: 6, y: LAYOUT.qr.h - 50, w: LAYOUT.qr.w - 12, h: 44 } as const;

/**
 * The hint's words at the largest size (≤ MAX_SIZE) at which they fit `width` on one line or, split where the
 * longer line is shortest, on two. The commands are one word ("!a / !b" never breaks). Below HINT_MIN_SIZE it
 * keeps shrinking rather than spill: the block clips what it paints anyway, and the tests hold every language and
 * option count to HINT_MIN_SIZE or more.
 */
export function layoutHint(ctx: SKRSContext2D, lang: Lang, options: readonly OptionId[], width: number): HintLayout {
  const commands = chatCommands(options);
  // The template as written, `{commands}` and all: wrapping by its words keeps the commands in one piece.
  const words: HintWord[] = tr(lang, 'chatHint')
    .split(' ')
    .map((w) => (w.includes('{commands}') ? { text: w.replace('{commands}', commands), hot: true } : { text: w, hot: false }));
  let size = MAX_SIZE;
  for (; size > 6; size--) {
    ctx.font = sans(size);
    const space = ctx.measureText(' ').width;
    const widths = words.map((w) => ctx.measureText(w.text).width);
    const span = (from: number, to: number) => widths.slice(from, to).reduce((a, b) => a + b, 0) + space * Math.max(0, to - from - 1);
    if (span(0, words.length) <= width) return { size, lines: [words] };
    let best = { cut: 1, w: Infinity };
    for (let cut = 1; cut < words.length; cut++) {
      const w = Math.max(span(0, cut), span(cut, words.length));
      if (w < best.w) best = { cut, w };
    }
    if (best.w <= width) return { size, lines: [words.slice(0, best.cut), words.slice(best.cut)] };
  }
  return { size, lines: [words] };
}

/** Width of a line of words at the font set on ctx, as paintHint lays them out. */
export function lineWidth(ctx: SKRSContext2D, line: readonly HintWord[]): number {
  return line.reduce((sum, w) => sum + ctx.measureText(w.text).width, 0) + ctx.measureText(' ').width * Math.max(0, line.length - 1);
}

const blocks = new CanvasCache<{ canvas: Canvas }>(2);

/** The hint block for these options, drawn with its top-left at (x, y) in the current (scale-only) transform. */
export function drawChatHint(ctx: SKRSContext2D, lang: Lang, options: readonly OptionId[], x: number, y: number, scale: number): void {
  const box = HINT_BOX;
  const block = blocks.get(`${scale}|${lang}|${options.join('')}`, Math.ceil(box.w * scale), Math.ceil(box.h * scale), (canvas) => {
    const c = canvas.getContext('2d');
    c.scale(scale, scale);
    paintHint(c, lang, options, box.w, box.h);
    return { canvas };
  });
  ctx.drawImage(block.canvas, x, y, block.canvas.width / scale, block.canvas.height / scale);
}

function paintHint(ctx: SKRSContext2D, lang: Lang, options: readonly OptionId[], w: number, h: number): void {
  roundRect(ctx, 0, 0, w, h, 8);
  ctx.fillStyle = '#0b0b18';
  ctx.fill();
  const { size, lines } = layoutHint(ctx, lang, options, w - PAD * 2);
  ctx.font = sans(size);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const space = ctx.measureText(' ').width;
  const top = h / 2 - ((lines.length - 1) * LINE_GAP) / 2;
  lines.forEach((line, i) => {
    let x = w / 2 - lineWidth(ctx, line) / 2;
    for (const word of line) {
      ctx.fillStyle = word.hot ? HOT : '#ffffff';
      ctx.fillText(word.text, x, top + i * LINE_GAP + 1);
      x += ctx.measureText(word.text).width + space;
    }
  });
}
