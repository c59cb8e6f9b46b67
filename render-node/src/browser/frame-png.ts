/** A captured frame as PNG for /snapshot.png: the display's pixels carry no alpha (xvfb.ts), so it is made opaque here. */
import { createCanvas, ImageData } from '@napi-rs/canvas';

export function framePng(rgba: Uint8Array, width: number, height: number): Promise<Buffer> {
  // A copy: the frame's buffer is the capture's, and may be written again while the PNG is made.
  const opaque = new Uint8ClampedArray(rgba.subarray(0, width * height * 4));
  for (let i = 3; i < opaque.length; i += 4) opaque[i] = 255;
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(opaque, width, height), 0, 0);
  return canvas.encode('png');
}
