/** The vote site's QR code: modules drawn as rects on a small canvas, once per URL and size. */
import { CanvasCache } from './canvas-cache.ts';
import type { Canvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';

/** The vote URL at the sizes the node's screens draw it. */
const cache = new CanvasCache<{ canvas: Canvas }>(4);

/** A square canvas of `size` px (white, with a quiet zone) holding the QR code for `url`. */
export function qrCanvas(url: string, size: number): Canvas {
  return cache.get(`${size}|${url}`, size, size, (c) => ({ canvas: paintQr(url, size, c) })).canvas;
}

function paintQr(url: string, size: number, c: Canvas): Canvas {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  // Whole pixels per module keep the code crisp; what is left over becomes margin.
  const cell = Math.max(1, Math.floor(size / (n + quiet * 2)));
  const offset = Math.floor((size - cell * n) / 2);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = '#000000';
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(r, col)) ctx.fillRect(offset + col * cell, offset + r * cell, cell, cell);
    }
  }
  return c;
}

/** The URL as people type it: no scheme, no trailing slash. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}
