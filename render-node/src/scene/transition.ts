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
