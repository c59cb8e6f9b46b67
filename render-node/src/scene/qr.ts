/** The vote site's QR code: modules drawn as rects on a small canvas, once per URL and size. */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';

const cache = new Map<string, Canvas>();

/** A square canvas of `size` px (white, with a quiet zone) holding the QR code for `url`. */
export function qrCanvas(url: string, size: number): Canvas {
  const key = `${size}|${url}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  // Whole pixels per module keep the code crisp; what is left over becomes margin.
  const cell = Math.max(1, Math.floor(size / (n + quiet * 2)));
  const offset = Math.floor((size - cell * n) / 2);
  const c = createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = '#000000';
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(r, col)) ctx.fillRect(offset + col * cell, offset + r * cell, cell, cell);
    }
  }
  if (cache.size > 16) cache.clear();
  cache.set(key, c);
  return c;
}

/** The URL as people type it: no scheme, no trailing slash. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}
