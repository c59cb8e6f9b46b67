/**
 * Where the fighters stand and how they move between attacks, as pure functions of time: the walk-in before a
 * round, closing the distance while it is live, the knock-back of each hit, the idle loop (breathe, shuffle,
 * taunt) and the slow-motion beat of a KO. Distances are logical px (1280×720 space), forward = toward the other
 * fighter; times are ms on the frame clock (SceneModel.advanceTo's t) unless said otherwise.
 */
import type { AttackKind } from '@stream-fighter/core';
import type { SpritePose } from '@stream-fighter/view/sprites/grid';

export const STANCE = {
  /** How far each fighter comes forward of its home spot once the round is live (close, not touching). */
  approach: 70,
  /** How far behind its home spot hits can push a fighter. */
  floor: -90,
  walkPxPerS: 100,
  knockMs: 240,
  /** A hit sooner than this after the last shove shoves less (by the square of the share of it that has passed). */
  knockRecoverMs: 600,
  /** Pushed back this far per hit, by kind. */
  knock: { punch: 56, kick: 80, special: 150 } satisfies Record<AttackKind, number>,
  /** The walk-in: from this far behind home (off the stage edge) over introMs of the upcoming phase. */
  introFrom: -640,
  introMs: 2200,
  /** One walk frame per this many px walked. */
  stridePx: 24,
} as const;

/** Where a fighter stands (`d`, forward of home) and whether it is walking there (`stride`: px walked, for the legs). */
export type Stance = { d: number; walking: boolean; stride: number };

/**
 * A knock-back and what follows: pushed from `from` toward `to` (eased over `dur` ms from `start`) while walking
 * forward at walkPxPerS from the moment of the hit, until back at the approach distance. The push is quick and the
 * walk slow, so a hit visibly shoves the fighter back and it comes in again. Each hit starts a new segment.
 */
export type StanceSeg = { from: number; to: number; start: number; dur: number; /** Share of a full push it got (0–1). */ fresh: number };

const easeOut = (x: number) => 1 - (1 - x) ** 3;

export function stanceAt(seg: StanceSeg, t: number): Stance {
  const since = Math.max(0, t - seg.start);
  const p = since >= seg.dur ? 1 : easeOut(since / seg.dur);
  const walked = (STANCE.walkPxPerS * since) / 1000;
  const d = Math.min(STANCE.approach, seg.from + (seg.to - seg.from) * p + walked);
  // The legs walk once the shove is mostly over.
  return { d, walking: since > seg.dur / 2 && d < STANCE.approach, stride: walked };
}

/**
 * The segment a hit of `kind` starts at `t` on a fighter whose latest segment is `prev` (null: none yet) and who
 * stands at `current`. A hit shoves the full distance only if the fighter has had knockRecoverMs since the last
 * shove, much less the sooner it comes (quadratically), and hits in the same frame shove as far as the biggest of
 * them: so a crowd voting 30 times a second jostles the fighters without pinning them to the edges, while single
 * hits clearly knock back. The fighter moves on from where it is, without a jump.
 */
export function knockedBack(prev: StanceSeg | null, current: number, kind: AttackKind, t: number): StanceSeg {
  if (prev && t === prev.start) return { ...prev, to: Math.max(STANCE.floor, Math.min(prev.to, prev.from - STANCE.knock[kind] * prev.fresh)) };
  const fresh = prev ? Math.min(1, (t - prev.start) / STANCE.knockRecoverMs) ** 2 : 1;
  return { from: current, to: Math.max(STANCE.floor, current - STANCE.knock[kind] * fresh), start: t, dur: STANCE.knockMs, fresh };
}

/**
 * Before any hit: the walk-in during the upcoming phase (`introLenMs` long; a short intro gets a quicker walk, done
 * before the round goes live), then closing in from the moment the round is live.
 */
export function introStance(phaseMs: number, introLenMs: number): Stance {
  const walkMs = Math.max(1, Math.min(STANCE.introMs, introLenMs * 0.6));
  const p = Math.min(1, Math.max(0, phaseMs / walkMs));
  if (p >= 1) return { d: 0, walking: false, stride: 0 };
  const d = STANCE.introFrom * (1 - p);
  return { d, walking: true, stride: d };
}

export function approachStance(liveMs: number): Stance {
  const d = Math.min(STANCE.approach, (STANCE.walkPxPerS * Math.max(0, liveMs)) / 1000);
  return { d, walking: d < STANCE.approach, stride: d };
}

export const walkFrame = (stride: number): SpritePose => (Math.floor(Math.abs(stride) / STANCE.stridePx) % 2 === 0 ? 'walk0' : 'walk1');

/** One frame of the idle loop: sprite frame plus a small offset (logical px; dx forward). */
export type IdleMotion = { frame: SpritePose; dx: number; dy: number };

/** The idle loop's length; the right-hand fighter runs half a loop behind, so the two never taunt together. */
export const IDLE_CYCLE_MS = 7200;
/** Breathing: in, out, rest, 500 ms each; 1 s later is always two frames on, another frame. */
const BREATH: SpritePose[] = ['idle0', 'breathe', 'idle1'];

/**
 * Never still: breathing (three frames and a slow bob) most of the loop, a shuffle forward and back, and a taunt.
 * Each part steps its frames so that 1 s later shows another frame or offset (breath: 2 of 3 frames on; shuffle:
 * 7 steps of 2; taunt: 3 nods of 2), and the parts share no frame but the breath's, so frames 1 s apart differ.
 */
export function idleMotion(t: number, side: 0 | 1): IdleMotion {
  const ts = t + side * (IDLE_CYCLE_MS / 2);
  const c = ((ts % IDLE_CYCLE_MS) + IDLE_CYCLE_MS) % IDLE_CYCLE_MS;
  const step = (perSecond: number, n: number) => (((Math.floor((ts * perSecond) / 1000) % n) + n) % n);
  if (c >= 4200 && c < 5400) {
    const p = (c - 4200) / 1200;
    return { frame: step(7, 2) === 0 ? 'walk0' : 'walk1', dx: Math.round(20 * Math.sin(p * 2 * Math.PI)), dy: 0 };
  }
  // The taunt: hand held out, the head nodding "come on".
  if (c >= 5400 && c < 6600) return { frame: 'taunt', dx: step(3, 2) * 4, dy: 0 };
  const bob = Math.round(3 * Math.sin((ts / 1700) * 2 * Math.PI));
  return { frame: BREATH[step(2, 3)]!, dx: 0, dy: bob };
}

/** The KO's slow-motion beat: for `ms` after the KO the fight runs at `rate` of real time. */
export const SLOWMO = { ms: 1200, rate: 0.3 } as const;

/**
 * The animation clock: real time, slowed during the KO's beat. Every animation age (attacks, hurt, sparks, the
 * fall) is warp(t) − warp(start), so a KO slows what is on screen at that moment, then lets it run on.
 */
export function warp(t: number, koAt: number | null): number {
  if (koAt === null || t <= koAt) return t;
  const real = t - koAt;
  return koAt + (real < SLOWMO.ms ? real * SLOWMO.rate : SLOWMO.ms * SLOWMO.rate + (real - SLOWMO.ms));
}
