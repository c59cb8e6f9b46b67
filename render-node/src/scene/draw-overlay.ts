/** What sits around the action on every screen: the news ticker, shout-outs and the vote QR code. */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { OptionId, Shoutout } from '@stream-fighter/core';
import { pixel, sans } from './fonts.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { CanvasCache } from './canvas-cache.ts';
import { HINT_BOX, drawChatHint } from './chat-hint.ts';
import { LAYOUT, qrPanelBox } from './layout.ts';
import { qrCanvas, shortUrl } from './qr.ts';
import { tr } from './screen-words.ts';
import { drawText, ellipsize, fitSize, roundRect } from './text.ts';

/** Ticker speed, logical px per second. */
export const TICKER_PX_PER_S = 110;
const TICKER_FONT = 26;
const SEP = '   ★   ';

/** The ticker of the screens a node draws (one language each, usually one). */
const strips = new CanvasCache<{ canvas: Canvas; w: number }>(2);
/** A 1×1 canvas only for measuring text. */
let probe: SKRSContext2D | undefined;

/** The whole ticker line painted once (device px), then scrolled by blitting: text layout is the costly part. */
function tickerStrip(text: string, scale: number): { canvas: Canvas; w: number } {
  const key = `${scale}|${text}`;
  const hit = strips.peek(key);
  if (hit) return hit;
  probe ??= createCanvas(1, 1).getContext('2d');
  probe.font = sans(TICKER_FONT);
  const w = Math.ceil(probe.measureText(text).width);
  const h = LAYOUT.ticker.h;
  return strips.get(key, Math.max(1, Math.ceil(w * scale)), Math.ceil(h * scale), (canvas) => {
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    drawText(ctx, text, 0, h / 2 + 1, { font: sans(TICKER_FONT), fill: '#ffffff' });
    return { canvas, w };
  });
}

export function drawTicker(ctx: SKRSContext2D, lines: readonly string[], lang: Lang, voteUrl: string, t: number, scale: number): void {
  const b = LAYOUT.ticker;
  ctx.fillStyle = '#0b0b18';
  ctx.fillRect(b.x, b.y, b.w, b.h);
  ctx.fillStyle = '#ffd60a';
  ctx.fillRect(b.x, b.y, b.w, 3);
  const text = [...lines, tr(lang, 'voteAt', { url: shortUrl(voteUrl) })].join(SEP) + SEP;
  const strip = tickerStrip(text, scale);
  const label = tr(lang, 'news');
  ctx.font = sans(22);
  const labelW = ctx.measureText(label).width + 36;
  const offset = ((t / 1000) * TICKER_PX_PER_S) % strip.w;
  const drawH = strip.canvas.height / scale;
  for (let x = labelW - offset; x < b.w; x += strip.w) {
    ctx.drawImage(strip.canvas, x, b.y + 3, strip.canvas.width / scale, drawH - 3);
  }
  ctx.fillStyle = '#e11d2e';
  ctx.fillRect(b.x, b.y, labelW, b.h);
  drawText(ctx, label, b.x + labelW / 2, b.y + b.h / 2 + 1, { font: sans(22), fill: '#ffffff', align: 'center' });
}

const SHOUT_MS = 6000;

/** The newest shout-out while it is fresh, else the last few in turn. */
export function pickShoutout(list: readonly Shoutout[], serverNow: number, t: number): { s: Shoutout; sinceMs: number } | null {
  if (list.length === 0) return null;
  const recent = [...list].sort((a, b) => b.at - a.at).slice(0, 5);
  const newest = recent[0]!;
  const age = serverNow - newest.at;
  if (age >= 0 && age < SHOUT_MS) return { s: newest, sinceMs: age };
  const slot = Math.floor(t / SHOUT_MS);
  return { s: recent[slot % recent.length]!, sinceMs: t - slot * SHOUT_MS };
}

export function drawShoutout(ctx: SKRSContext2D, list: readonly Shoutout[], lang: Lang, serverNow: number, t: number): void {
  const pick = pickShoutout(list, serverNow, t);
  if (!pick) return;
  const b = LAYOUT.shoutout;
  const slide = Math.max(0, 1 - pick.sinceMs / 300);
  const x = b.x - slide * slide * (b.w + 40);
  ctx.font = sans(24);
  const body = ellipsize(ctx, pick.s.message, b.w - 40);
  const w = Math.min(b.w, Math.max(ctx.measureText(body).width, 260) + 40);
  roundRect(ctx, x, b.y, w, b.h, 10);
  ctx.fillStyle = 'rgba(11,11,24,0.88)';
  ctx.fill();
  ctx.fillStyle = '#ff2e88';
  ctx.fillRect(x, b.y + 8, 6, b.h - 16);
  ctx.font = sans(17);
  const who = ellipsize(ctx, `${tr(lang, 'shoutout')} · @${pick.s.user}`, w - 40);
  drawText(ctx, who, x + 20, b.y + 17, { font: sans(17), fill: '#ff8fc7' });
  drawText(ctx, body, x + 20, b.y + 43, { font: sans(24), fill: '#ffffff' });
}

/**
 * The QR panel: "VOTE NOW" over the code to the vote page, and under it, when the screen shows chat, the chat
 * commands of the round's options (`chat`: their ids; none, no commands). While the room is unreachable (`paused`)
 * votes cannot land, so the panel says voting is paused and greys the code and the commands out instead of asking
 * for votes that would fail.
 */
export function drawQrPanel(ctx: SKRSContext2D, voteUrl: string, lang: Lang, scale: number, paused = false, chat: readonly OptionId[] = []): void {
  const hint = chat.length > 0;
  const b = qrPanelBox(hint);
  roundRect(ctx, b.x, b.y, b.w, b.h, 12);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#0b0b18';
  ctx.stroke();
  roundRect(ctx, b.x + 6, b.y + 6, b.w - 12, 40, 8);
  ctx.fillStyle = paused ? '#6b7280' : '#ffd60a';
  ctx.fill();
  const label = tr(lang, paused ? 'votingPaused' : 'voteNow');
  const ink = paused ? '#ffffff' : '#0b0b18';
  const size = fitSize(ctx, label, b.w - 24, 24, sans, 10);
  const words = label.split(' ');
  if (size >= 16 || words.length < 2) {
    drawText(ctx, label, b.x + b.w / 2, b.y + 27, { font: sans(size), fill: ink, align: 'center' });
  } else {
    // Too small on one line ("VOTACIÓN EN PAUSA"): two lines, larger.
    const cut = Math.ceil(words.length / 2);
    const lines = [words.slice(0, cut).join(' '), words.slice(cut).join(' ')];
    const two = Math.min(17, ...lines.map((l) => fitSize(ctx, l, b.w - 24, 17, sans, 10)));
    lines.forEach((l, i) => drawText(ctx, l, b.x + b.w / 2, b.y + 18 + i * 17, { font: sans(two), fill: ink, align: 'center' }));
  }
  const qrSize = 152;
  const qr = qrCanvas(voteUrl, Math.round(qrSize * scale));
  const qx = b.x + (b.w - qrSize) / 2;
  const qy = b.y + 52;
  ctx.drawImage(qr, qx, qy, qrSize, qrSize);
  if (hint) drawChatHint(ctx, lang, chat, b.x + HINT_BOX.x, b.y + HINT_BOX.y, scale);
  if (paused) {
    ctx.fillStyle = 'rgba(255,255,255,0.78)';
    ctx.fillRect(qx, qy, qrSize, qrSize);
    if (hint) ctx.fillRect(b.x + HINT_BOX.x, b.y + HINT_BOX.y, HINT_BOX.w, HINT_BOX.h);
    const note = tr(lang, 'reconnectingShort');
    const noteSize = fitSize(ctx, note, qrSize - 8, 20, sans, 10);
    drawText(ctx, note, b.x + b.w / 2, qy + qrSize / 2, { font: sans(noteSize), fill: '#0b0b18', stroke: '#ffffff', line: 4, align: 'center' });
  }
  const url = shortUrl(voteUrl);
  const urlSize = fitSize(ctx, url, b.w - 16, 20, sans, 10);
  drawText(ctx, url, b.x + b.w / 2, b.y + 234, { font: sans(urlSize), fill: '#0b0b18', align: 'center' });
}

/** The logo, for the connecting scene. */
export function drawLogo(ctx: SKRSContext2D, x: number, y: number, size: number): void {
  drawText(ctx, 'STREAM', x, y - size * 0.7, { font: pixel(size), fill: '#ffd60a', stroke: '#e11d2e', line: size / 4, align: 'center' });
  drawText(ctx, 'FIGHTER', x, y + size * 0.7, { font: pixel(size), fill: '#ffffff', stroke: '#e11d2e', line: size / 4, align: 'center' });
}
