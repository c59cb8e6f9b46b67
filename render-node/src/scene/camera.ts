/**
 * The camera shake: big hits (specials) and the KO jolt the world (stage and fighters; the HUD stays put). A pure
 * function of the view, so a frame's shake follows from its time alone.
 */
import type { SceneView } from './model.ts';

export const SHAKE = {
  special: { px: 9, ms: 380 },
  ko: { px: 14, ms: 600 },
} as const;

/** Whether a hit of this kind shakes the camera and throws the big burst of sparks. */
export const isBigHit = (kind: string): boolean => kind === 'special';

const jolt = (ageMs: number, px: number, ms: number, seed: number) => {
  if (ageMs < 0 || ageMs >= ms) return { x: 0, y: 0 };
  const k = px * (1 - ageMs / ms);
  return { x: Math.sin(ageMs / 17 + seed) * k, y: Math.cos(ageMs / 23 + seed * 1.7) * k };
};

/** The world's offset this frame, whole logical px. */
export function cameraOffset(view: Pick<SceneView, 'effects' | 'koMs'>): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (const e of view.effects) {
    if (!isBigHit(e.hit.kind)) continue;
    const j = jolt(e.ageMs, SHAKE.special.px, SHAKE.special.ms, e.hit.n);
    x += j.x;
    y += j.y;
  }
  if (view.koMs !== null) {
    const j = jolt(view.koMs, SHAKE.ko.px, SHAKE.ko.ms, 0);
    x += j.x;
    y += j.y;
  }
  const cap = SHAKE.ko.px;
  return { x: Math.round(Math.max(-cap, Math.min(cap, x))), y: Math.round(Math.max(-cap, Math.min(cap, y))) };
}
