/** The fight itself: stage, two fighters in their current poses, and the impact effects of recent hits. */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { shade } from '@stream-fighter/view/sprites/color';
import { FOOT_Y, GRID } from '@stream-fighter/view/sprites/grid';
import type { SpritePose } from '@stream-fighter/view/sprites/grid';
import { sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import { ANIM_MS } from './model.ts';
import type { HitEffect, OptionView, SceneView } from './model.ts';
import { sprite } from './sprites.ts';
import { drawText } from './text.ts';

type Placed = { frame: SpritePose; dx: number; dy: number; white: boolean };

/** How far forward an attack lunges (logical px). */
const LUNGE = { punch: 80, kick: 64, special: 30 } as const;

const lunge = (p: number, reach: number) => reach * (p < 0.3 ? p / 0.3 : Math.max(0, 1 - (p - 0.3) / 0.7));

/** Which sprite frame a pose shows at this moment, and how far it is pushed. */
export function place(o: OptionView, side: 0 | 1, t: number): Placed {
  const ms = o.poseMs;
  switch (o.pose) {
    case 'punch':
    case 'kick':
      return { frame: o.pose, dx: lunge(ms / ANIM_MS[o.pose], LUNGE[o.pose]), dy: o.pose === 'kick' ? -6 : 0, white: false };
    case 'special': {
      const p = ms / ANIM_MS.special;
      return { frame: p < 0.3 ? 'charge' : 'special', dx: p < 0.3 ? -8 : lunge(p, LUNGE.special), dy: 0, white: false };
    }
    case 'hurt': {
      const p = ms / ANIM_MS.hurt;
      return { frame: 'hurt', dx: -26 * (1 - p), dy: 0, white: ms < 90 };
    }
    case 'ko': {
      if (ms < 280) return { frame: 'hurt', dx: -ms / 5, dy: -50 * Math.sin((ms / 280) * Math.PI), white: ms < 120 };
      const bounce = ms < 560 ? -14 * Math.sin(((ms - 280) / 280) * Math.PI) : 0;
      return { frame: 'ko', dx: -56 - Math.min(30, (ms - 280) / 10), dy: bounce, white: false };
    }
    case 'win':
      return { frame: 'win', dx: 0, dy: -Math.abs(Math.sin(t / 220)) * 10, white: false };
    default:
      return { frame: Math.floor((t + side * 190) / 380) % 2 === 0 ? 'idle0' : 'idle1', dx: 0, dy: 0, white: false };
  }
}

function drawFighter(ctx: SKRSContext2D, o: OptionView, side: 0 | 1, t: number): void {
  const facing = side === 0 ? 1 : -1;
  const s = LAYOUT.spriteScale;
  const cx = LAYOUT.fighterX[side];
  const p = place(o, side, t);
  const size = GRID * s;
  const x = Math.round(cx - size / 2 + p.dx * facing);
  const y = Math.round(LAYOUT.groundY - FOOT_Y * s + p.dy);
  ctx.fillStyle = 'rgba(0,0,0,0.35)';
  ctx.beginPath();
  ctx.ellipse(cx + p.dx * facing, LAYOUT.groundY + 4, 84, 14, 0, 0, Math.PI * 2);
  ctx.fill();
  const key = { archetype: o.fighter.archetype, color: o.fighter.color, frame: p.frame, facing } as const;
  ctx.drawImage(sprite(key), x, y, size, size);
  if (p.white) {
    ctx.globalAlpha = 0.7;
    ctx.drawImage(sprite({ ...key, white: true }), x, y, size, size);
    ctx.globalAlpha = 1;
  }
  if (o.pose === 'special' && o.poseMs >= ANIM_MS.special * 0.3) drawBeam(ctx, o, side, x + (facing === 1 ? size * 0.85 : size * 0.15), y + 19 * s);
}

/** The special move: a beam in the fighter's colour from the hands toward the other side. */
function drawBeam(ctx: SKRSContext2D, o: OptionView, side: 0 | 1, x0: number, y: number): void {
  const p = (o.poseMs - ANIM_MS.special * 0.3) / (ANIM_MS.special * 0.7);
  const facing = side === 0 ? 1 : -1;
  const len = 260 * Math.min(1, p * 2.5);
  const h = 26 * (1 - Math.abs(p - 0.5));
  const x = facing === 1 ? x0 : x0 - len;
  ctx.fillStyle = shade(o.fighter.color, 1.2);
  ctx.fillRect(x, y - h, len, h * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x, y - h / 3, len, (h * 2) / 3);
  ctx.fillStyle = shade(o.fighter.color, 1.5);
  ctx.beginPath();
  ctx.arc(facing === 1 ? x + len : x, y, h * 1.4, 0, Math.PI * 2);
  ctx.fill();
}

/** A star-shaped spark on the target, and the move's name called out for specials. */
function drawEffect(ctx: SKRSContext2D, e: HitEffect, view: SceneView): void {
  const side = view.options.findIndex((o) => o.id === e.hit.target);
  if (side !== 0 && side !== 1) return;
  const p = e.ageMs / ANIM_MS.effect;
  const cx = LAYOUT.fighterX[side] + (side === 0 ? 30 : -30);
  const cy = LAYOUT.groundY - (e.hit.kind === 'kick' ? 120 : 170);
  if (p < 0.45) {
    const r = 20 + 70 * (p / 0.45);
    ctx.strokeStyle = e.hit.kind === 'special' ? '#7df9ff' : '#ffd60a';
    ctx.lineWidth = 10 * (1 - p / 0.45) + 2;
    ctx.beginPath();
    for (let i = 0; i < 8; i++) {
      const a = (i / 8) * Math.PI * 2 + e.hit.n;
      ctx.moveTo(cx + Math.cos(a) * r * 0.35, cy + Math.sin(a) * r * 0.35);
      ctx.lineTo(cx + Math.cos(a) * r, cy + Math.sin(a) * r);
    }
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(cx - 8, cy - 8, 16, 16);
  }
  if (e.hit.kind === 'special' && e.moveName) {
    const attacker = 1 - side;
    const ax = LAYOUT.fighterX[attacker as 0 | 1];
    const rise = 30 * p;
    ctx.globalAlpha = p > 0.75 ? (1 - p) / 0.25 : 1;
    drawText(ctx, `${e.moveName.toUpperCase()}!`, ax, LAYOUT.groundY - 300 - rise, { font: sans(34), fill: '#ffd60a', stroke: '#000000', line: 7, align: 'center' });
    ctx.globalAlpha = 1;
  }
}

export function drawFighters(ctx: SKRSContext2D, view: SceneView, t: number): void {
  const [a, b] = view.options;
  // The attacker is drawn last, so the punch lands in front of the one who takes it.
  const order: Array<[OptionView, 0 | 1]> = [];
  if (a) order.push([a, 0]);
  if (b) order.push([b, 1]);
  if (a && b && b.pose === 'hurt' && a.pose !== 'hurt') order.reverse();
  for (const [o, side] of order) drawFighter(ctx, o, side, t);
  for (const e of view.effects) drawEffect(ctx, e, view);
}

/** A short shake after a KO. */
export function shakeOffset(view: SceneView): { x: number; y: number } {
  const ko = view.options.find((o) => o.pose === 'ko');
  if (!ko || ko.poseMs > 450) return { x: 0, y: 0 };
  const k = (1 - ko.poseMs / 450) * 10;
  return { x: Math.round(Math.sin(ko.poseMs / 17) * k), y: Math.round(Math.cos(ko.poseMs / 23) * k) };
}
