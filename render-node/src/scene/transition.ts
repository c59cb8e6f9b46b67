/**
 * Cards come and go instead of cutting in: each phase's card fades and slides in over its first CARD_FADE_MS and
 * out over its last, so one card hands over to the next (GET READY → FIGHT! → K.O.! → the winner → GET READY).
 */
import { phaseLengths } from '@stream-fighter/core';
import type { RoundState } from '@stream-fighter/core';

export const CARD_FADE_MS = 260;
/** How far (logical px) a card slides: up from below as it comes, on up as it goes. */
export const CARD_SLIDE_PX = 36;
/** The live phase's card is the FIGHT! flash at its start (draw-cards.ts shows it for this long). */
export const FIGHT_FLASH_MS = 1200;

const easeOut = (x: number) => 1 - (1 - x) ** 3;

/** How long the round's current card is up, ms: its phase's length (the round carries them), or the FIGHT! flash. */
export function cardLengthMs(round: Pick<RoundState, 'phase' | 'phaseAt' | 'liveAt' | 'phaseMs'>): number {
  switch (round.phase) {
    case 'upcoming':
      return round.liveAt - round.phaseAt;
    case 'live':
      return FIGHT_FLASH_MS;
    case 'finished':
      return phaseLengths(round).finish;
    case 'results':
      return phaseLengths(round).results;
  }
}

/** The card's opacity (0–1) and vertical offset (logical px) `phaseMs` into a card shown for `lengthMs`. */
export function cardTransition(phaseMs: number, lengthMs: number): { alpha: number; offset: number } {
  const inP = easeOut(Math.min(1, Math.max(0, phaseMs / CARD_FADE_MS)));
  const outP = easeOut(Math.min(1, Math.max(0, (lengthMs - phaseMs) / CARD_FADE_MS)));
  return { alpha: Math.min(inP, outP), offset: (1 - inP) * CARD_SLIDE_PX - (1 - outP) * CARD_SLIDE_PX };
}

/** Where in the results phase (its share of the phase) the winner's card hands over to the bracket card. */
export const BRACKET_FROM = 0.45;

/**
 * Two cards in one phase (the results: the winner, then the bracket): the first fades out over the CARD_FADE_MS
 * before `BRACKET_FROM` of the phase and the second fades in over the CARD_FADE_MS after it, so the two never show
 * at once. Their opacities, 0–1; the phase's own fade (cardTransition) applies on top.
 */
export function handOver(phaseMs: number, lengthMs: number): { first: number; second: number } {
  const at = lengthMs * BRACKET_FROM;
  const fade = Math.max(1, Math.min(CARD_FADE_MS, at / 2));
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return { first: easeOut(clamp((at - phaseMs) / fade)), second: easeOut(clamp((phaseMs - at) / fade)) };
}
