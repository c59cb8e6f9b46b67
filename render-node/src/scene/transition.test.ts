import { describe, expect, it } from 'vitest';
import { PHASE_MS } from '@stream-fighter/core';
import { BRACKET_FROM, CARD_FADE_MS, CARD_SLIDE_PX, FIGHT_FLASH_MS, cardLengthMs, cardTransition, handOver } from './transition.ts';

describe('cardTransition', () => {
  it('fades and slides a card in, holds it, and fades it out before its phase ends', () => {
    const len = 4000;
    expect(cardTransition(0, len)).toEqual({ alpha: 0, offset: CARD_SLIDE_PX });
    const coming = cardTransition(CARD_FADE_MS / 3, len);
    expect(coming.alpha).toBeGreaterThan(0);
    expect(coming.alpha).toBeLessThan(1);
    expect(coming.offset).toBeGreaterThan(0);
    expect(cardTransition(len / 2, len)).toEqual({ alpha: 1, offset: 0 });
    const going = cardTransition(len - CARD_FADE_MS / 3, len);
    expect(going.alpha).toBeLessThan(1);
    expect(going.offset).toBeLessThan(0);
    expect(cardTransition(len, len).alpha).toBe(0);
    // Monotonic in, monotonic out.
    for (let ms = 0; ms < CARD_FADE_MS; ms += 10) expect(cardTransition(ms + 10, len).alpha).toBeGreaterThanOrEqual(cardTransition(ms, len).alpha);
  });

  it("uses the round's own phase lengths", () => {
    const base = { phaseAt: 1000, liveAt: 6000, phaseMs: { intro: 5000, finish: 700, results: 900 } };
    expect(cardLengthMs({ ...base, phase: 'upcoming' })).toBe(5000);
    expect(cardLengthMs({ ...base, phase: 'live' })).toBe(FIGHT_FLASH_MS);
    expect(cardLengthMs({ ...base, phase: 'finished' })).toBe(700);
    expect(cardLengthMs({ ...base, phase: 'results' })).toBe(900);
    expect(cardLengthMs({ ...base, phaseMs: undefined, phase: 'results' })).toBe(PHASE_MS.results);
  });
});

describe('handOver', () => {
  it('shows the first card, then the second, never both, with a fade between', () => {
    const len = PHASE_MS.results;
    const at = len * BRACKET_FROM;
    expect(handOver(0, len)).toEqual({ first: 1, second: 0 });
    expect(handOver(at - CARD_FADE_MS - 1, len)).toEqual({ first: 1, second: 0 });
    const going = handOver(at - CARD_FADE_MS / 2, len);
    expect(going.first).toBeGreaterThan(0);
    expect(going.first).toBeLessThan(1);
    expect(going.second).toBe(0);
    expect(handOver(at, len)).toEqual({ first: 0, second: 0 });
    const coming = handOver(at + CARD_FADE_MS / 2, len);
    expect(coming.first).toBe(0);
    expect(coming.second).toBeGreaterThan(0);
    expect(handOver(at + CARD_FADE_MS, len)).toEqual({ first: 0, second: 1 });
    expect(handOver(len, len)).toEqual({ first: 0, second: 1 });
    for (let ms = 0; ms <= len; ms += 20) {
      const h = handOver(ms, len);
      expect(Math.min(h.first, h.second), `${ms} ms`).toBe(0);
    }
  });

  it('still hands over in the shortest phase a room may set', () => {
    const len = 200;
    expect(handOver(0, len).first).toBe(1);
    expect(handOver(len, len).second).toBe(1);
  });
});
