/**
 * Sparks thrown off a hit: a burst of small squares flying away from the attacker and falling, fading as they go.
 * Every spark's path is a pure function of the hit (its number seeds the spread) and its age, so a frame can be
 * drawn again exactly.
 */
import type { Hit } from '@stream-fighter/core';
import { isBigHit } from './camera.ts';

/** Sparks per hit, how long they fly (ms), their speed range (px/s) and size (px). */
const BURST = {
  big: { count: 18, lifeMs: 650, speed: [380, 900], size: 10 },
  kick: { count: 9, lifeMs: 450, speed: [260, 620], size: 7 },
  punch: { count: 6, lifeMs: 380, speed: [220, 520], size: 6 },
} as const;
const GRAVITY = 1500; // px/s²

export type Spark = { x: number; y: number; size: number };
/** One hit's sparks at one moment: all share an opacity. Positions are relative to the impact, x away from the attacker. */
export type Burst = { alpha: number; sparks: Spark[] };

/** A small integer hash to [0, 1): the same hit always throws the same sparks. */
function rand(n: number, i: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
}

export const burstFor = (hit: Hit) => (isBigHit(hit.kind) ? BURST.big : hit.kind === 'kick' ? BURST.kick : BURST.punch);

export function sparksAt(hit: Hit, ageMs: number): Burst | null {
  const b = burstFor(hit);
  if (ageMs < 0 || ageMs >= b.lifeMs) return null;
  const s = ageMs / 1000;
  const life = ageMs / b.lifeMs;
  const sparks: Spark[] = [];
  for (let i = 0; i < b.count; i++) {
    // Away from the attacker in a cone from 70° up to 35° down.
    const a = -1.22 + rand(hit.n, i) * 1.83;
    const v = b.speed[0] + rand(hit.n, i + 100) * (b.speed[1] - b.speed[0]);
    sparks.push({ x: Math.cos(a) * v * s, y: Math.sin(a) * v * s + 0.5 * GRAVITY * s * s, size: Math.max(2, Math.round(b.size * (1 - 0.6 * life))) });
  }
  return { alpha: 1 - life * life, sparks };
}
