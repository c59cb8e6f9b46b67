/**
 * Combos: hits by the same fighter in a row, each within COMBO.gapMs of the one before and none by the other in
 * between, so three hits within about two seconds make "3 HIT COMBO!". Pure: the model keeps the state and feeds
 * it each hit at the frame time it is first shown.
 */
import type { Hit, OptionId } from '@stream-fighter/core';

export const COMBO = { gapMs: 1000, min: 3, showMs: 1400 } as const;

export type ComboState = { attacker: OptionId; count: number; lastAt: number };

/** The combo on screen: who is on it, how many hits, and ms since its latest hit (the counter pops on each). */
export type ComboView = { attacker: OptionId; count: number; ageMs: number };

export function nextCombo(s: ComboState | null, hit: Hit, t: number): ComboState {
  if (s && s.attacker === hit.attacker && t - s.lastAt <= COMBO.gapMs) return { attacker: s.attacker, count: s.count + 1, lastAt: t };
  return { attacker: hit.attacker, count: 1, lastAt: t };
}

/** The counter to show at `t`, if any: from the third hit on, until showMs after the latest. */
export function comboView(s: ComboState | null, t: number): ComboView | null {
  if (!s || s.count < COMBO.min || t - s.lastAt >= COMBO.showMs) return null;
  return { attacker: s.attacker, count: s.count, ageMs: t - s.lastAt };
}
