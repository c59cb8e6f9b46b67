/**
 * Procedural pixel-art fighters. Each frame is painted once on a tiny canvas (GRID px square, facing right),
 * outlined, mirrored for the right-hand fighter, cached, and drawn scaled up with nearest-neighbour sampling.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { ARCHETYPES } from '@stream-fighter/core';
import type { ArchetypeId } from '@stream-fighter/core';
import { rgb, shade } from './color.ts';

export const GRID = 48;
/** Where the feet touch the ground in the grid. */
export const FOOT_Y = 45;

export type Frame = 'idle0' | 'idle1' | 'punch' | 'kick' | 'charge' | 'special' | 'hurt' | 'ko' | 'win';
export type SpriteKey = { archetype: ArchetypeId; color: string; frame: Frame; facing: 1 | -1; white?: boolean };

const SKINS = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac'];
type Rect = [x: number, y: number, w: number, h: number, color: string];

type Body = {
  dx: number; // torso/head shift
  dy: number;
  headDx: number;
  frontArm: Rect[];
  backArm: Rect[];
  frontLeg: Rect[];
  backLeg: Rect[];
  eyes: 'open' | 'x' | 'angry';
};

function bodyFor(frame: Frame, c: { arm: string; arm2: string; leg: string; leg2: string; fist: string; foot: string }): Body {
  const { arm, arm2, leg, leg2, fist, foot } = c;
  const legsStand = {
    frontLeg: [[24, 31, 5, 12, leg], [24, 42, 7, 3, foot]] as Rect[],
    backLeg: [[15, 31, 5, 12, leg2], [14, 42, 7, 3, foot]] as Rect[],
  };
  const guard = {
    frontArm: [[27, 18, 4, 6, arm], [29, 14, 4, 6, arm], [29, 11, 5, 4, fist]] as Rect[],
    backArm: [[12, 18, 4, 7, arm2], [14, 22, 6, 3, arm2], [19, 20, 4, 4, fist]] as Rect[],
  };
  switch (frame) {
    case 'idle0':
    case 'idle1':
      return { dx: 0, dy: frame === 'idle1' ? 1 : 0, headDx: 0, ...guard, ...legsStand, eyes: 'open' };
    case 'punch':
      return {
        dx: 2, dy: 1, headDx: 1, eyes: 'angry', ...legsStand,
        frontArm: [[27, 18, 14, 4, arm], [40, 16, 6, 7, fist]],
        backArm: [[12, 18, 4, 6, arm2], [12, 22, 5, 3, arm2], [15, 21, 4, 4, fist]],
      };
    case 'kick':
      return {
        dx: -2, dy: -1, headDx: -1, eyes: 'angry', ...guard,
        frontLeg: [[24, 27, 16, 5, leg], [39, 24, 6, 8, foot]],
        backLeg: [[16, 31, 5, 12, leg2], [15, 42, 7, 3, foot]],
      };
    case 'charge':
      return {
        dx: -1, dy: 2, headDx: -1, eyes: 'angry', ...legsStand,
        frontArm: [[22, 19, 4, 8, arm], [19, 25, 5, 4, fist]],
        backArm: [[11, 19, 4, 8, arm2], [9, 25, 5, 4, fist]],
      };
    case 'special':
      return {
        dx: 1, dy: 0, headDx: 0, eyes: 'angry', ...legsStand,
        frontArm: [[27, 17, 12, 4, arm], [38, 15, 5, 7, fist]],
        backArm: [[25, 22, 12, 4, arm2], [36, 21, 5, 6, fist]],
      };
    case 'hurt':
      return {
        dx: -3, dy: 1, headDx: -3, eyes: 'x',
        frontArm: [[26, 17, 4, 4, arm], [28, 12, 4, 6, arm], [28, 9, 5, 4, fist]],
        backArm: [[9, 16, 5, 4, arm2], [5, 12, 5, 5, fist]],
        frontLeg: [[23, 31, 5, 12, leg], [23, 42, 7, 3, foot]],
        backLeg: [[14, 31, 5, 12, leg2], [11, 42, 7, 3, foot]],
      };
    case 'win':
      return {
        dx: 0, dy: 0, headDx: 0, eyes: 'open', ...legsStand,
        frontArm: [[27, 10, 4, 9, arm], [27, 5, 5, 5, fist]],
        backArm: [[12, 18, 4, 7, arm2], [12, 24, 4, 3, fist]],
      };
    case 'ko':
      return { dx: 0, dy: 0, headDx: 0, eyes: 'x', frontArm: [], backArm: [], frontLeg: [], backLeg: [] };
  }
}

function apart(trim: string, main: string, fallback: string): string {
  const a = rgb(trim);
  const b = rgb(main);
  const d = Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
  return d < 120 ? fallback : trim;
}

function skinFor(color: string, archetype: ArchetypeId): string {
  let h = 0;
  for (const ch of color + archetype) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return SKINS[h % SKINS.length] ?? '#f1c27d';
}

/** Paints one frame, facing right, without outline. */
function paint(ctx: SKRSContext2D, archetype: ArchetypeId, main: string, frame: Frame): void {
  const pal = ARCHETYPES[archetype].palette;
  // Trim colours come from the archetype; one too close to the fighter's own colour would vanish, so swap it.
  const p1 = apart(pal[1] ?? '#ffffff', main, '#ffffff');
  const p2 = apart(pal[2] ?? '#222222', main, '#1f1f2a');
  const alien = archetype === 'alien';
  const robot = archetype === 'robot';
  const beast = archetype === 'beast';
  const skin = alien ? shade(main, 1.15) : robot ? '#b8c2cc' : beast ? shade(main, 1.25) : skinFor(main, archetype);
  const bareArms = archetype === 'brawler' || archetype === 'luchador';
  const arm = bareArms || alien ? skin : beast ? main : robot ? '#9aa5b1' : main;
  const c = {
    arm,
    arm2: shade(arm, 0.8),
    leg: archetype === 'luchador' ? p2 : archetype === 'ninja' ? main : shade(p2, 1.1),
    leg2: shade(archetype === 'luchador' ? p2 : archetype === 'ninja' ? main : p2, 0.85),
    fist: robot ? '#6c7a89' : alien || bareArms ? shade(skin, 0.9) : beast ? p1 : skin,
    foot: '#1f1f2a',
  };
  const r = (x: number, y: number, w: number, h: number, col: string) => {
    ctx.fillStyle = col;
    ctx.fillRect(x, y, w, h);
  };
  if (frame === 'ko') {
    paintLying(r, main, skin, c, archetype, p1);
    return;
  }
  const b = bodyFor(frame, c);
  const draw = (rects: Rect[], dx: number, dy: number) => rects.forEach(([x, y, w, h, col]) => r(x + dx, y + dy, w, h, col));
  draw(b.backLeg, 0, 0);
  draw(b.backArm, b.dx, b.dy);
  draw(b.frontLeg, 0, 0);
  // Torso, with a lighter front edge and a darker back edge for some volume.
  const tx = 15 + b.dx;
  const ty = 17 + b.dy;
  const torso = archetype === 'luchador' || archetype === 'brawler' ? (archetype === 'brawler' ? main : skin) : main;
  r(tx, ty, 13, 12, torso);
  r(tx, ty, 3, 12, shade(torso, 0.8));
  r(tx + 10, ty + 1, 2, 6, shade(torso, 1.25));
  r(tx - 1, ty + 11, 15, 4, archetype === 'luchador' ? main : p2); // belt / trunks
  if (archetype === 'samurai') {
    r(tx - 2, ty - 1, 17, 3, p1); // shoulder plates
    r(tx + 2, ty + 4, 9, 2, p1);
    r(tx + 2, ty + 8, 9, 2, p1);
  }
  if (archetype === 'wizard') r(tx - 1, ty + 11, 15, 10, main); // robe over the legs
  if (archetype === 'robot') {
    r(tx + 4, ty + 3, 5, 5, p1);
    r(tx + 5, ty + 4, 3, 3, shade(p1, 1.4));
  }
  if (archetype === 'beast') r(tx + 5, ty + 2, 7, 8, p1); // belly fur
  // Head.
  const hx = 17 + b.dx + b.headDx;
  const hy = 5 + b.dy;
  const big = alien ? 2 : 0;
  r(hx - big, hy - big, 11 + big * 2, 11 + big, skin);
  r(hx - big, hy - big, 2, 11 + big, shade(skin, 0.85));
  paintHead(r, archetype, hx, hy, main, p1, p2, skin, b.eyes);
  draw(b.frontArm, b.dx, b.dy);
}

type R = (x: number, y: number, w: number, h: number, col: string) => void;

function paintHead(r: R, a: ArchetypeId, hx: number, hy: number, main: string, p1: string, p2: string, skin: string, eyes: Body['eyes']): void {
  const eye = (x: number, y: number, col = '#111111') => {
    if (eyes === 'x') {
      r(x - 1, y - 1, 1, 1, col);
      r(x + 1, y - 1, 1, 1, col);
      r(x, y, 1, 1, col);
      r(x - 1, y + 1, 1, 1, col);
      r(x + 1, y + 1, 1, 1, col);
    } else {
      r(x, y, 2, 2, col);
      if (eyes === 'angry') r(x - 1, y - 1, 3, 1, '#111111');
    }
  };
  switch (a) {
    case 'brawler':
      r(hx - 1, hy - 2, 12, 3, '#3b2a20'); // hair
      r(hx, hy + 2, 11, 2, p1); // headband
      r(hx - 4, hy + 2, 4, 2, p1);
      eye(hx + 8, hy + 5);
      r(hx + 7, hy + 9, 3, 1, '#7a2e1f');
      break;
    case 'ninja':
      r(hx - 1, hy - 1, 12, 12, main);
      r(hx + 4, hy + 4, 7, 3, skin);
      r(hx - 1, hy + 1, 12, 2, p2);
      r(hx - 5, hy + 2, 4, 2, p2);
      r(hx - 7, hy + 4, 3, 2, p2);
      eye(hx + 8, hy + 5);
      break;
    case 'wizard':
      r(hx - 2, hy - 1, 15, 3, main); // hat brim
      r(hx + 1, hy - 5, 9, 4, main);
      r(hx + 3, hy - 9, 5, 4, main);
      r(hx + 4, hy - 12, 3, 3, main);
      r(hx + 4, hy - 4, 2, 2, p2); // star
      r(hx + 2, hy + 7, 10, 8, p1); // beard
      r(hx + 4, hy + 15, 6, 3, p1);
      eye(hx + 8, hy + 4);
      break;
    case 'robot':
      r(hx - 1, hy - 1, 13, 12, '#9aa5b1');
      r(hx + 3, hy + 3, 9, 3, p1); // visor
      r(hx + 8, hy + 3, 3, 3, eyes === 'x' ? '#ff3b3b' : '#e0fbff');
      r(hx + 4, hy - 4, 2, 3, '#6c7a89');
      r(hx + 3, hy - 6, 4, 2, '#ff3b3b');
      r(hx + 3, hy + 8, 8, 1, '#3d5a80');
      break;
    case 'beast':
      r(hx - 1, hy - 3, 3, 4, main); // ears
      r(hx + 7, hy - 3, 3, 4, main);
      r(hx - 1, hy, 12, 3, main);
      r(hx + 8, hy + 6, 5, 4, p1); // snout
      r(hx + 12, hy + 6, 1, 1, '#111111');
      r(hx + 9, hy + 10, 1, 2, '#ffffff');
      eye(hx + 7, hy + 4, '#ffd60a');
      break;
    case 'luchador':
      r(hx - 1, hy - 1, 12, 12, main); // mask
      r(hx + 6, hy + 3, 5, 4, p1);
      r(hx + 3, hy - 1, 2, 8, p1);
      r(hx + 6, hy + 8, 5, 2, skin); // mouth hole
      eye(hx + 8, hy + 4, '#ffffff');
      break;
    case 'samurai':
      r(hx - 1, hy - 2, 12, 4, '#1b1b1b'); // hair
      r(hx + 2, hy - 5, 4, 3, '#1b1b1b'); // topknot
      r(hx - 1, hy + 2, 3, 6, '#1b1b1b');
      r(hx - 4, hy + 12, 2, 16, '#8d99ae'); // katana on the back
      r(hx - 5, hy + 10, 4, 3, p2);
      eye(hx + 8, hy + 5);
      r(hx + 6, hy + 9, 4, 1, '#5a3a2a');
      break;
    case 'alien':
      r(hx + 1, hy - 6, 1, 4, p1); // antennae
      r(hx + 8, hy - 6, 1, 4, p1);
      r(hx, hy - 7, 3, 2, p2);
      r(hx + 7, hy - 7, 3, 2, p2);
      if (eyes === 'x') eye(hx + 8, hy + 4);
      else {
        r(hx + 6, hy + 2, 5, 4, '#111111');
        r(hx + 7, hy + 2, 2, 1, '#ffffff');
      }
      r(hx + 7, hy + 9, 3, 1, '#222222');
      break;
  }
}

function paintLying(r: R, main: string, skin: string, c: { leg: string; foot: string; arm: string; fist: string }, a: ArchetypeId, p1: string): void {
  // Flat on the back, head toward the back of the stage (left when facing right).
  r(15, 37, 16, 6, c.leg); // legs
  r(30, 35, 3, 8, c.foot);
  r(4, 36, 12, 7, main); // torso
  r(6, 33, 4, 4, c.arm); // arm up
  r(6, 30, 4, 3, c.fist);
  r(-2 + 1, 35, 8, 8, a === 'robot' ? '#9aa5b1' : a === 'ninja' || a === 'luchador' ? main : skin); // head
  r(2, 37, 1, 1, '#111111');
  r(4, 37, 1, 1, '#111111');
  if (a === 'luchador') r(2, 36, 3, 3, p1);
  r(12, 41, 12, 2, c.arm);
}

function paintOutlined(key: SpriteKey): Canvas {
  const base = createCanvas(GRID, GRID);
  const bctx = base.getContext('2d');
  bctx.translate(2, 0);
  paint(bctx, key.archetype, key.color, key.frame);
  const out = createCanvas(GRID, GRID);
  const ctx = out.getContext('2d');
  // A 1 px dark outline: the silhouette in black, offset in four directions, under the sprite.
  const sil = createCanvas(GRID, GRID);
  const sctx = sil.getContext('2d');
  sctx.drawImage(base, 0, 0);
  sctx.globalCompositeOperation = 'source-in';
  sctx.fillStyle = key.white ? '#ffffff' : '#0b0b12';
  sctx.fillRect(0, 0, GRID, GRID);
  if (key.white) {
    ctx.drawImage(sil, 0, 0);
  } else {
    for (const [dx, dy] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) ctx.drawImage(sil, dx, dy);
    ctx.drawImage(base, 0, 0);
  }
  if (key.facing === 1) return out;
  const flipped = createCanvas(GRID, GRID);
  const fctx = flipped.getContext('2d');
  fctx.translate(GRID, 0);
  fctx.scale(-1, 1);
  fctx.drawImage(out, 0, 0);
  return flipped;
}

const cache = new Map<string, Canvas>();

/** The cached frame (GRID×GRID px). The first call for a key paints it; later calls are a map lookup. */
export function sprite(key: SpriteKey): Canvas {
  const k = `${key.archetype}|${key.color}|${key.frame}|${key.facing}|${key.white ? 1 : 0}`;
  let c = cache.get(k);
  if (!c) {
    c = paintOutlined(key);
    // A fight uses a few dozen keys; weeks of matchups would use thousands (~10 KB of pixels each).
    if (cache.size >= 256) cache.clear();
    cache.set(k, c);
  }
  return c;
}
