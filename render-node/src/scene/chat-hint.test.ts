/** The chat commands under the QR code: in the stream's language, readable at 720p, inside the panel for every poll. */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { optionIdsFor } from '@stream-fighter/core';
import type { OptionId } from '@stream-fighter/core';
import { chatCommands } from '@stream-fighter/view/chat-commands';
import { LANGS } from '@stream-fighter/view/languages';
import type { Lang } from '@stream-fighter/view/languages';
import { HINT_BOX, HINT_MIN_SIZE, layoutHint, lineWidth } from './chat-hint.ts';
import { drawQrPanel } from './draw-overlay.ts';
import { registerFonts, sans } from './fonts.ts';
import { LAYOUT, qrPanelBox, toPixels } from './layout.ts';
import type { Box } from './layout.ts';
import { countNear, hashRegion } from './probe.ts';
import type { PixelFrame } from './probe.ts';
import { tr } from './screen-words.ts';

registerFonts();
const COUNTS = [2, 3, 4] as const;

/** The panel alone on a transparent 720p or 1080p canvas. */
function panel(lang: Lang, chat: readonly OptionId[], paused = false, width = 1280): PixelFrame {
  const scale = width / 1280;
  const c = createCanvas(width, (width * 9) / 16);
  const ctx = c.getContext('2d');
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  drawQrPanel(ctx, 'https://vote.example/', lang, scale, paused, chat);
  return { rgba: new Uint8Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer), width };
}

/** The hint block in output px. */
function hintPx(width: number): Box {
  const b = LAYOUT.qr;
  return toPixels({ x: b.x + HINT_BOX.x, y: b.y + HINT_BOX.y, w: HINT_BOX.w, h: HINT_BOX.h }, width);
}

/** Pixels with any paint at all. */
function painted(f: PixelFrame, b: Box): number {
  let n = 0;
  for (let y = b.y; y < b.y + b.h; y++) for (let x = b.x; x < b.x + b.w; x++) if (f.rgba[(y * f.width + x) * 4 + 3]! > 0) n++;
  return n;
}

describe('the chat commands beside the QR code', () => {
  it('say the words of the table with the round\'s commands, on at most two lines at a readable size, for 2, 3 and 4 options', () => {
    const ctx = createCanvas(1, 1).getContext('2d');
    for (const lang of LANGS) {
      for (const n of COUNTS) {
        const ids = optionIdsFor(n);
        const width = HINT_BOX.w - 12;
        const { size, lines } = layoutHint(ctx, lang, ids, width);
        const what = `${lang} ${n} options`;
        expect(lines.map((l) => l.map((w) => w.text).join(' ')).join(' '), what).toBe(tr(lang, 'chatHint', { commands: chatCommands(ids) }));
        expect(lines.length, what).toBeLessThanOrEqual(2);
        expect(size, what).toBeGreaterThanOrEqual(HINT_MIN_SIZE);
        ctx.font = sans(size);
        for (const line of lines) expect(lineWidth(ctx, line), what).toBeLessThanOrEqual(width);
        // The commands are one word, and the one in yellow.
        expect(lines.flat().filter((w) => w.hot).map((w) => w.text), what).toEqual([chatCommands(ids)]);
      }
    }
  });

  it('are drawn in the panel in English and Spanish, inside the hint block with room to spare, at 720p and 1080p', () => {
    for (const width of [1280, 1920]) {
      const block = hintPx(width);
      const seen = new Set<string>();
      for (const lang of LANGS) {
        for (const n of COUNTS) {
          const f = panel(lang, optionIdsFor(n), false, width);
          const what = `${lang} ${n} options at ${width}`;
          // The dark block, its white words and its yellow commands.
          expect(countNear(f, block, '#0b0b18', 10), what).toBeGreaterThan(block.w * block.h * 0.5);
          expect(countNear(f, block, '#ffffff', 60), what).toBeGreaterThan(40 * (width / 1280) ** 2);
          expect(countNear(f, block, '#ffd60a', 60), what).toBeGreaterThan(20 * (width / 1280) ** 2);
          // No word touches the block's sides: 3 px in from each end is the block's own dark only.
          const s = width / 1280;
          const inset = Math.round(3 * s);
          // (Below and above the rounded corners.)
          const rows = { y: block.y + Math.round(8 * s), h: block.h - 2 * Math.round(8 * s) };
          for (const x of [block.x + 2, block.x + block.w - 2 - inset]) {
            const side = { x, w: inset, ...rows };
            expect(countNear(f, side, '#0b0b18', 10), `${what} side`).toBe(side.w * side.h);
          }
          // Nothing of the panel outside its box and the border around it (4 px wide, half outside).
          const p = qrPanelBox(true);
          const box = toPixels({ x: p.x - 2, y: p.y - 2, w: p.w + 4, h: p.h + 4 }, width);
          const all = painted(f, { x: 0, y: 0, w: width, h: (width * 9) / 16 });
          expect(painted(f, box), what).toBe(all);
          seen.add(hashRegion(f, block));
        }
      }
      // Each language and count reads differently (3 and 4 options: !a–!c, !a–!d).
      expect(seen.size).toBe(LANGS.length * COUNTS.length);
    }
  });

  it('are not there without chat, and the panel is shorter; while voting is paused they are greyed out like the code', () => {
    const without = panel('en', []);
    const block = hintPx(1280);
    // (The URL's dark letters sit there now.)
    expect(countNear(without, block, '#0b0b18', 10)).toBeLessThan(block.w * block.h * 0.2);
    expect(countNear(without, block, '#ffd60a', 60)).toBe(0);
    const short = toPixels(qrPanelBox(false), 1280);
    expect(painted(without, { x: 0, y: 0, w: 1280, h: short.y - 2 })).toBe(0);
    expect(painted(without, short)).toBeGreaterThan(short.w * short.h * 0.9);
    const paused = panel('en', ['A', 'B'], true);
    expect(countNear(paused, block, '#ffd60a', 60)).toBe(0);
    expect(countNear(paused, block, '#0b0b18', 10)).toBe(0);
  });
});
