/**
 * Stage backgrounds: painted once per stage at a low pixel-art resolution, scaled up with nearest-neighbour to the
 * output size, darkened where the HUD sits, and cached per stage and size.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { CanvasCache } from './canvas-cache.ts';
import { STAGES } from '@stream-fighter/core';
import type { StageId } from '@stream-fighter/core';
import { shade } from '@stream-fighter/view/sprites/color';
import { mulberry32 } from '@stream-fighter/core/prng';

export const LOW_W = 320;
export const LOW_H = 180;
/** Ground line in low-res pixels (the fighters stand on it): 560 px at 720p. */
export const GROUND_LOW = 140;

type P = { ctx: SKRSContext2D; r: (x: number, y: number, w: number, h: number, c: string) => void; rnd: () => number; sky: string; ground: string };

function bands(p: P, top: string, bottom: string, y0: number, y1: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    const a = top.match(/\w\w/g)!.map((h) => Number.parseInt(h, 16));
    const b = bottom.match(/\w\w/g)!.map((h) => Number.parseInt(h, 16));
    const c = a.map((x, k) => Math.round(x + ((b[k] ?? x) - x) * f).toString(16).padStart(2, '0')).join('');
    const h = (y1 - y0) / n;
    p.r(0, Math.floor(y0 + i * h), LOW_W, Math.ceil(h) + 1, `#${c}`);
  }
}

function stars(p: P, n: number, maxY: number): void {
  for (let i = 0; i < n; i++) p.r(Math.floor(p.rnd() * LOW_W), Math.floor(p.rnd() * maxY), 1, 1, p.rnd() > 0.8 ? '#ffe9a8' : '#ffffff');
}

function floor(p: P, stripe: string): void {
  p.r(0, GROUND_LOW, LOW_W, LOW_H - GROUND_LOW, p.ground);
  p.r(0, GROUND_LOW, LOW_W, 2, shade(p.ground, 1.3));
  for (let y = GROUND_LOW + 6, k = 0; y < LOW_H; y += 6 + k, k++) p.r(0, y, LOW_W, 1, stripe);
}

const PAINTERS: Record<StageId, (p: P) => void> = {
  dojo(p) {
    bands(p, shade(p.sky, 0.8), p.sky, 0, GROUND_LOW, 6);
    for (let x = 20; x < LOW_W; x += 70) {
      p.r(x, 30, 44, 70, '#fff6e6');
      for (let gx = x; gx <= x + 44; gx += 11) p.r(gx, 30, 1, 70, '#8b5e34');
      for (let gy = 30; gy <= 100; gy += 14) p.r(x, gy, 44, 1, '#8b5e34');
    }
    for (let x = 8; x < LOW_W; x += 70) p.r(x, 0, 8, GROUND_LOW, '#5a3a1e');
    p.r(0, 18, LOW_W, 6, '#5a3a1e');
    p.r(148, 34, 24, 50, '#f9f3e3');
    p.r(148, 34, 24, 3, '#2b1d12');
    p.r(156, 46, 8, 20, '#b3261e');
    floor(p, shade(p.ground, 0.8));
    for (let x = 0; x < LOW_W; x += 40) p.r(x, GROUND_LOW, 1, LOW_H - GROUND_LOW, shade(p.ground, 0.7));
  },
  rooftop(p) {
    bands(p, p.sky, '#4b1d6e', 0, GROUND_LOW, 8);
    stars(p, 60, 60);
    p.r(262, 36, 14, 14, '#fff4c2');
    p.r(266, 36, 10, 4, shade(p.sky, 1.1));
    for (let x = -4; x < LOW_W; ) {
      const w = 18 + Math.floor(p.rnd() * 26);
      const h = 40 + Math.floor(p.rnd() * 70);
      const body = p.rnd() > 0.5 ? '#120d2a' : '#1b1538';
      p.r(x, GROUND_LOW - h, w, h, body);
      for (let wy = GROUND_LOW - h + 5; wy < GROUND_LOW - 4; wy += 6)
        for (let wx = x + 3; wx < x + w - 3; wx += 5) if (p.rnd() > 0.55) p.r(wx, wy, 2, 3, p.rnd() > 0.3 ? '#ffd166' : '#4cc9f0');
      x += w + 2;
    }
    // A neon sign: a glowing frame with a zigzag bolt.
    p.r(60, 56, 40, 14, '#ff2e88');
    p.r(62, 58, 36, 10, '#1b1538');
    for (let i = 0; i < 6; i++) p.r(66 + i * 5, 60 + (i % 2) * 3, 5, 3, '#ffd1e8');
    floor(p, shade(p.ground, 0.8));
    p.r(0, GROUND_LOW - 6, LOW_W, 6, '#55556a');
    for (let x = 0; x < LOW_W; x += 16) p.r(x, GROUND_LOW - 10, 2, 10, '#6b6b80');
  },
  volcano(p) {
    bands(p, '#1f0606', p.sky, 0, 100, 8);
    bands(p, p.sky, '#d9480f', 100, GROUND_LOW, 5);
    for (let i = 0; i < 30; i++) p.r(Math.floor(p.rnd() * LOW_W), Math.floor(p.rnd() * 90), 1, 1, '#ff9e3d');
    const ridge = (base: number, amp: number, col: string) => {
      for (let x = 0; x < LOW_W; x += 4) {
        const h = base + Math.round(Math.sin(x / 23) * amp + Math.sin(x / 7) * amp * 0.3);
        p.r(x, GROUND_LOW - h, 4, h, col);
      }
    };
    ridge(60, 18, '#3a1414');
    ridge(30, 10, '#241010');
    p.r(0, GROUND_LOW - 4, LOW_W, 4, '#ff6b1a');
    floor(p, '#1a1110');
    for (let i = 0; i < 14; i++) p.r(Math.floor(p.rnd() * LOW_W), GROUND_LOW + 4 + Math.floor(p.rnd() * 36), 6 + Math.floor(p.rnd() * 14), 1, '#ff6b1a');
  },
  beach(p) {
    bands(p, '#6a4c93', p.sky, 0, 100, 8);
    p.r(130, 70, 60, 30, '#ffd166');
    p.r(138, 64, 44, 6, '#ffd166');
    p.r(150, 60, 20, 4, '#ffd166');
    bands(p, '#1d7ea8', '#0b4f6c', 100, 122, 4);
    for (let y = 104; y < 122; y += 4) for (let x = (y * 7) % 20; x < LOW_W; x += 20) p.r(x, y, 8, 1, '#bde0fe');
    p.r(0, 122, LOW_W, GROUND_LOW - 122, shade(p.ground, 1.1));
    // A palm tree on the left.
    for (let i = 0; i < 12; i++) p.r(26 + Math.round(i * 0.7), 124 - i * 7, 5, 8, '#6b4226');
    for (const [dx, dy] of [[-22, 4], [-12, -2], [4, -4], [14, 2], [20, 8]] as const) p.r(34 + dx, 40 + dy, 16, 4, '#2d6a4f');
    floor(p, shade(p.ground, 0.9));
  },
  space(p) {
    p.r(0, 0, LOW_W, GROUND_LOW, p.sky);
    stars(p, 140, GROUND_LOW - 10);
    p.r(220, 24, 40, 40, '#7b2cbf');
    p.r(220, 24, 14, 40, '#5a189a');
    p.r(208, 42, 64, 4, '#e0aaff');
    p.r(30, 30, 6, 6, '#90e0ef');
    p.r(0, GROUND_LOW - 30, LOW_W, 30, '#1f2937');
    for (let x = 6; x < LOW_W; x += 44) {
      p.r(x, GROUND_LOW - 26, 32, 18, '#0b0f1a');
      p.r(x + 2, GROUND_LOW - 24, 28, 14, '#05051a');
    }
    floor(p, shade(p.ground, 0.75));
    for (let x = 0; x < LOW_W; x += 32) p.r(x + 14, GROUND_LOW + 3, 4, 2, '#22d3ee');
  },
  arcade(p) {
    bands(p, '#12002a', p.sky, 0, GROUND_LOW, 6);
    const colours = ['#ff2e88', '#4cc9f0', '#ffd166', '#06d6a0'];
    for (let x = 8, i = 0; x < LOW_W; x += 52, i++) {
      const col = colours[i % colours.length] ?? '#ff2e88';
      p.r(x, 56, 34, 84, '#0d0221');
      p.r(x, 56, 34, 8, col);
      p.r(x + 4, 70, 26, 22, shade(col, 0.45));
      p.r(x + 6, 72, 22, 18, shade(col, 0.7));
      p.r(x + 4, 98, 26, 6, '#241445');
      p.r(x + 9, 99, 3, 3, '#ff3b3b');
      p.r(x + 20, 99, 3, 3, '#4cc9f0');
    }
    p.r(0, GROUND_LOW, LOW_W, LOW_H - GROUND_LOW, p.ground);
    for (let y = GROUND_LOW; y < LOW_H; y += 8) p.r(0, y, LOW_W, 1, '#ff2e88');
    for (let x = -160; x < LOW_W + 160; x += 24) {
      for (let y = GROUND_LOW; y < LOW_H; y += 2) p.r(Math.round(160 + (x - 160) * (1 + (y - GROUND_LOW) / 30)), y, 1, 2, '#7b2cbf');
    }
  },
};

/** The low-resolution painting, one canvas repainted per stage (it is only the source of the scaled-up background). */
let low: Canvas | undefined;

function paintLow(stage: StageId): Canvas {
  low ??= createCanvas(LOW_W, LOW_H);
  const c = low;
  const ctx = c.getContext('2d');
  ctx.reset();
  const s = STAGES[stage];
  let seed = 7;
  for (const ch of stage) seed = seed * 31 + ch.charCodeAt(0);
  const p: P = {
    ctx,
    rnd: mulberry32(seed),
    sky: s.sky,
    ground: s.ground,
    r: (x, y, w, h, col) => {
      ctx.fillStyle = col;
      ctx.fillRect(x, y, w, h);
    },
  };
  PAINTERS[stage](p);
  return c;
}

/**
 * A full-size background is a frame's worth of pixels (3.7 MB at 720p, 8.3 MB at 1080p), and a stream that runs for
 * weeks meets every stage: keep the last two (the fight's and the bars screen's), repaint the rest (a few ms, once
 * a round) into the canvas of the one least recently used.
 */
const cache = new CanvasCache<{ canvas: Canvas }>(2);

/** The full-size background for a stage, with the HUD areas shaded for legibility. */
export function stageBackground(stage: StageId, width: number, height: number, dim = false): Canvas {
  return cache.get(`${stage}|${width}x${height}|${dim}`, width, height, (c) => {
    const ctx = c.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(paintLow(stage), 0, 0, width, height);
    const top = ctx.createLinearGradient(0, 0, 0, height * 0.24);
    top.addColorStop(0, 'rgba(0,0,0,0.7)');
    top.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = top;
    ctx.fillRect(0, 0, width, height * 0.24);
    if (dim) {
      // The bars scene reads over the stage: keep its colours, lose its detail.
      ctx.fillStyle = 'rgba(8,8,20,0.72)';
      ctx.fillRect(0, 0, width, height);
    }
    return { canvas: c };
  }).canvas;
}
