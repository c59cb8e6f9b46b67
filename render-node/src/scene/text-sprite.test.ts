import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { pixel, registerFonts } from './fonts.ts';
import { countNear } from './probe.ts';
import { drawText } from './text.ts';
import { drawTextSprite } from './text-sprite.ts';

registerFonts();
const style = { font: pixel(28), fill: '#ff9f1c', stroke: '#000000', line: 8 };

/** The words drawn directly and from their sprite, at a scale, on a grey canvas: the fill's pixels and where they are. */
function both(scale: number) {
  const draw = (f: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>) => void) => {
    const c = createCanvas(Math.round(640 * scale), Math.round(120 * scale));
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.imageSmoothingEnabled = false;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    f(ctx);
    return { rgba: new Uint8Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer), width: c.width };
  };
  const direct = draw((ctx) => drawText(ctx, '12 HIT COMBO!', 320, 60, { ...style, align: 'center' }));
  const sprite = draw((ctx) => drawTextSprite(ctx, '12 HIT COMBO!', 320, 60, 28, style));
  const box = (w: number) => ({ x: 0, y: 0, w, h: Math.round(120 * scale) });
  const half = Math.round(320 * scale);
  return {
    direct: [countNear(direct, box(half), style.fill, 20), countNear(direct, box(Math.round(640 * scale)), style.fill, 20)],
    sprite: [countNear(sprite, box(half), style.fill, 20), countNear(sprite, box(Math.round(640 * scale)), style.fill, 20)],
  };
}

describe('drawTextSprite', () => {
  it('draws the same words in the same place as drawText, at 720p and 1080p scale', () => {
    for (const scale of [1, 1.5]) {
      const { direct, sprite } = both(scale);
      expect(direct[1]).toBeGreaterThan(1000 * scale * scale);
      // Same amount of fill, split the same way about the centre (within a few %: glyph edges land differently).
      expect(Math.abs(sprite[1]! - direct[1]!) / direct[1]!).toBeLessThan(0.08);
      expect(Math.abs(sprite[0]! / sprite[1]! - direct[0]! / direct[1]!)).toBeLessThan(0.03);
    }
  });
});
