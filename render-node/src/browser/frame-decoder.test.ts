import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { until } from '@stream-fighter/devstack/test-support/until';
import { createFrameDecoder } from './frame-decoder.ts';

function jpeg(w: number, h: number, colour: string): Buffer {
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, w, h);
  return c.toBuffer('image/jpeg', 95);
}

const pixel = (rgba: Buffer, w: number, x: number, y: number) => [...rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4)];

describe('createFrameDecoder', () => {
  it('is opaque black before the first frame', () => {
    const d = createFrameDecoder(320, 180);
    expect(d.rgba().byteLength).toBe(320 * 180 * 4);
    expect(pixel(d.rgba(), 320, 10, 10)).toEqual([0, 0, 0, 255]);
  });

  it('decodes a JPEG to RGBA at the stream size, scaling a frame of another size', async () => {
    const d = createFrameDecoder(320, 180);
    d.push(jpeg(320, 180, 'rgb(200,40,40)'));
    await until('the first frame decoded', () => d.decoded === 1, 5_000);
    const [r, g, b, a] = pixel(d.rgba(), 320, 160, 90);
    expect([r! > 180, g! < 60, b! < 60, a]).toEqual([true, true, true, 255]);
    d.push(jpeg(640, 360, 'rgb(30,60,200)'));
    await until('the second frame decoded', () => d.decoded === 2, 5_000);
    const [r2, , b2] = pixel(d.rgba(), 320, 319, 179);
    expect(r2! < 60 && b2! > 180).toBe(true);
  });

  it('decodes only the newest of the frames that arrive during a decode', async () => {
    const d = createFrameDecoder(320, 180);
    d.push(jpeg(320, 180, 'rgb(255,0,0)'));
    d.push(jpeg(320, 180, 'rgb(0,255,0)'));
    d.push(jpeg(320, 180, 'rgb(0,0,255)'));
    await until('two frames decoded', () => d.decoded === 2, 5_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(d.decoded).toBe(2);
    expect(pixel(d.rgba(), 320, 5, 5)[2]).toBeGreaterThan(200);
  });

  it('keeps the last frame when given something that is not an image, and says so', async () => {
    const errors: string[] = [];
    const d = createFrameDecoder(320, 180, (e) => errors.push(e));
    d.push(jpeg(320, 180, 'rgb(40,180,70)'));
    await until('the frame decoded', () => d.decoded === 1, 5_000);
    d.push(Buffer.from('not a jpeg'));
    await until('the bad frame refused', () => d.failed === 1, 5_000);
    expect(errors).toHaveLength(1);
    expect(pixel(d.rgba(), 320, 5, 5)[1]).toBeGreaterThan(150);
  });
});
