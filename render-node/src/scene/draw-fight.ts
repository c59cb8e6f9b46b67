/**
 * The fight itself: two fighters where they stand (motion.ts), in their current poses, the impact of recent hits
 * (a star, sparks: particles.ts) and the combo counter.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { shade } from '@stream-fighter/view/sprites/color';
import { FOOT_Y, GRID } from '@stream-fighter/view/sprites/grid';
import type { SpritePose } from '@stream-fighter/view/sprites/grid';
import type { Lang } from '@stream-fighter/view/languages';
import { isBigHit } from './camera.ts';
import { COMBO } from './combo.ts';
import { pixel, sans } from './fonts.ts';
import { LAYOUT } from './layout.ts';
import { ANIM_MS } from './model.ts';
import type { HitEffect, OptionView, SceneView } from './model.ts';
import { SLOWMO, idleMotion, walkFrame } from './motion.ts';
import type { Stance } from './motion.ts';
import { sparksAt } from './particles.ts';
import { tr } from './screen-words.ts';
import { sprite } from './sprites.ts';
import { fitSize } from './text.ts';
import { drawTextSprite } from './text-sprite.ts';

/** A frame placed on the stage: `dx` forward of the fighter's stance, `tilt` radians leaning back (the fall). */
type Placed = { frame: SpritePose; dx: number; dy: number; white: boolean; tilt: number };

const HOME: Stance = { d: 0, walking: false, stride: 0 };

/** How far forward an attack lunges (logical px). */
const LUNGE = { punch: 80, kick: 64, special: 30 } as const;

/** After a KO the winner holds still this long (real ms: the beat), then celebrates. */
export const VICTORY_AT_MS = SLOWMO.ms + 500;

const lunge = (p: number, reach: number) => reach * (p < 0.3 ? p / 0.3 : Math.max(0, 1 - (p - 0.3) / 0.7));
const still = (frame: SpritePose, dx = 0, dy = 0, white = false): Placed => ({ frame, dx, dy, white, tilt: 0 });

/** The KO on the warped clock (slow first): flung back, falling over backwards, flat on the ground with a bounce. */
function fall(ms: number): Placed {
  if (ms < 200) return still('hurt', -ms / 4, -36 * Math.sin((ms / 200) * (Math.PI / 2)), ms < 120);
  if (ms < 560) {
    const p = (ms - 200) / 360;
    return { frame: 'fall', dx: -50 - 40 * p, dy: -36 * Math.cos(p * (Math.PI / 2)), white: false, tilt: p * 1.3 };
  }
  const bounce = ms < 840 ? -14 * Math.sin(((ms - 560) / 280) * Math.PI) : 0;
  return still('ko', -90 - Math.min(20, (ms - 560) / 12), bounce);
}

/**
 * Which sprite frame a fighter shows at this moment and how it is pushed: attacks and hurts from the model's pose;
 * otherwise walking (to its stance) or the idle loop; after a KO the fall and, for the winner, the victory.
 */
export function place(o: OptionView, side: 0 | 1, t: number, stance: Stance = HOME, koMs: number | null = null): Placed {
  const ms = o.poseMs;
  switch (o.pose) {
    case 'punch':
    case 'kick':
      return still(o.pose, lunge(ms / ANIM_MS[o.pose], LUNGE[o.pose]), o.pose === 'kick' ? -6 : 0);
    case 'special': {
      const p = ms / ANIM_MS.special;
      return p < 0.3 ? still('charge', -8) : still('special', lunge(p, LUNGE.special));
    }
    case 'hurt': {
      const p = ms / ANIM_MS.hurt;
      return still('hurt', -26 * (1 - p), 0, ms < 90);
    }
    case 'ko':
      return fall(ms);
    case 'win': {
      if (koMs !== null && koMs < VICTORY_AT_MS) return still('idle0');
      // Fists up and a hop, then the one-arm salute, over and over.
      const v = koMs !== null ? koMs - VICTORY_AT_MS : t;
      const cheer = Math.floor(v / 900) % 3 !== 2;
      return still(cheer ? 'victory' : 'win', 0, cheer ? -Math.round(Math.abs(Math.sin(v / 143)) * 16) : 0);
    }
    default: {
      if (stance.walking) return still(walkFrame(stance.stride), 0, walkFrame(stance.stride) === 'walk1' ? -3 : 0);
      const m = idleMotion(t, side);
      return still(m.frame, m.dx, m.dy);
    }
  }
}

function drawFighter(ctx: SKRSContext2D, o: OptionView, side: 0 | 1, t: number, stance: Stance, koMs: number | null): void {
  const facing = side === 0 ? 1 : -1;
  const s = LAYOUT.spriteScale;
  const p = place(o, side, t, stance, koMs);
  const cx = LAYOUT.fighterX[side] + (stance.d + p.dx) * facing;
  const size = GRID * s;
  const x = Math.round(cx - size / 2);
  const y = Math.round(LAYOUT.groundY - FOOT_Y * s + p.dy);
  ctx.fillStyle = 'rgba(0,0,0,0.35)';
  ctx.beginPath();
  ctx.ellipse(cx, LAYOUT.groundY + 4, 84, 14, 0, 0, Math.PI * 2);
  ctx.fill();
  const key = { archetype: o.fighter.archetype, color: o.fighter.color, frame: p.frame, facing } as const;
  if (p.tilt !== 0) {
    // Falling over backwards: turn about the feet.
    ctx.save();
    ctx.translate(cx, LAYOUT.groundY + p.dy);
    ctx.rotate(-p.tilt * facing);
    ctx.drawImage(sprite(key), -size / 2, -FOOT_Y * s, size, size);
    ctx.restore();
    return;
  }
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

/** A star-shaped spark and a burst of sparks on the target, and the move's name called out for specials. */
function drawEffect(ctx: SKRSContext2D, e: HitEffect, view: SceneView): void {
  const side = view.options.findIndex((o) => o.id === e.hit.target);
  if (side !== 0 && side !== 1) return;
  const facing = side === 0 ? 1 : -1;
  const big = isBigHit(e.hit.kind);
  const p = e.ageMs / ANIM_MS.effect;
  const cx = LAYOUT.fighterX[side] + ((view.motion?.[side]?.d ?? 0) + 30) * facing;
  const cy = LAYOUT.groundY - (e.hit.kind === 'kick' ? 120 : 170);
  if (p < 0.45) {
    const r = (big ? 30 : 20) + (big ? 100 : 70) * (p / 0.45);
    ctx.strokeStyle = big ? '#7df9ff' : '#ffd60a';
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
  const burst = sparksAt(e.hit, e.ageMs);
  if (burst) {
    // Whole-pixel squares: the cheapest fill there is (measured cheaper than one path of them).
    ctx.globalAlpha = burst.alpha;
    ctx.fillStyle = big ? '#bdfcff' : '#ffe066';
    for (const q of burst.sparks) ctx.fillRect(Math.round(cx - q.x * facing - q.size / 2), Math.round(cy + q.y - q.size / 2), q.size, q.size);
    ctx.globalAlpha = 1;
  }
  if (e.hit.kind === 'special' && e.moveName) {
    const attacker = (1 - side) as 0 | 1;
    const ax = LAYOUT.fighterX[attacker] + (view.motion?.[attacker]?.d ?? 0) * -facing;
    const rise = 30 * p;
    ctx.globalAlpha = p > 0.75 ? (1 - p) / 0.25 : 1;
    drawTextSprite(ctx, `${e.moveName.toUpperCase()}!`, ax, LAYOUT.groundY - 300 - rise, 34, { font: sans(34), fill: '#ffd60a', stroke: '#000000', line: 7 });
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
  // `motion` and `koMs` are absent from hand-built views (tests of the poses alone): fighters stand at home.
  for (const [o, side] of order) drawFighter(ctx, o, side, t, view.motion?.[side] ?? HOME, view.koMs ?? null);
  for (const e of impacts(view.effects)) drawEffect(ctx, e, view);
  // The KO lands with a flash over the stage.
  if (view.koMs != null && view.koMs < 120) {
    ctx.fillStyle = `rgba(255,255,255,${0.45 * (1 - view.koMs / 120)})`;
    ctx.fillRect(0, 0, 1280, LAYOUT.groundY + 40);
  }
}

const RANK = { punch: 0, kick: 1, special: 2 } as const;

/**
 * Hits that landed together (same target, same frame: one snapshot often carries several) share one impact: the
 * biggest of them is drawn, once. Oldest first, so newer impacts paint over older ones.
 */
export function impacts(effects: readonly HitEffect[]): HitEffect[] {
  const by = new Map<string, HitEffect>();
  for (const e of effects) {
    const key = `${e.hit.target}|${e.ageMs}`;
    const cur = by.get(key);
    if (!cur || RANK[e.hit.kind] >= RANK[cur.hit.kind]) by.set(key, e);
  }
  return [...by.values()].sort((a, b) => b.ageMs - a.ageMs);
}

/**
 * The combo counter over the attacker's side, between the names and a special's callout (which rises from y 260):
 * pops at each hit, fades before it goes.
 */
export function drawCombo(ctx: SKRSContext2D, view: SceneView, lang: Lang): void {
  const c = view.combo;
  if (!c) return;
  const side = view.options.findIndex((o) => o.id === c.attacker);
  if (side !== 0 && side !== 1) return;
  const text = tr(lang, 'combo', { n: c.count });
  const size = fitSize(ctx, text, 340, 28, pixel, 14);
  const pop = c.ageMs < 160 ? 1.45 - 0.45 * (c.ageMs / 160) : 1;
  const fadeFrom = COMBO.showMs - 300;
  ctx.save();
  ctx.globalAlpha = c.ageMs > fadeFrom ? Math.max(0, 1 - (c.ageMs - fadeFrom) / 300) : 1;
  drawTextSprite(ctx, text, side === 0 ? 200 : 1080, 190, size, { font: pixel(size), fill: '#ff9f1c', stroke: '#000000', line: 8 }, pop);
  ctx.restore();
}
