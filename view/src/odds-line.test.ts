import { describe, expect, it } from 'vitest';
import type { OptionId, RoundOdds } from '@stream-fighter/core';
import { RoundOdds as RoundOddsSchema } from '@stream-fighter/core/protocol';
import { NO_MULTIPLIER, multiplierText, oddsSides, oddsStrip, streamCloseLeftMs, streamClosesAt } from './odds-line.ts';

const names = (id: OptionId) => ({ A: 'Iron Mara', B: 'Zip Zero' })[id as 'A' | 'B'];
const odds = (over: Partial<RoundOdds> = {}): RoundOdds =>
  RoundOddsSchema.parse({
    pollId: 'p2',
    open: true,
    closesAt: 10_000,
    total: 12_500,
    sides: [
      { option: 'A', pool: 12_500, bettors: 3, multiplier: 1 },
      { option: 'B', pool: 0, bettors: 0, multiplier: null },
    ],
    ...over,
  });

describe('the odds in words', () => {
  it('rounds a multiplier to two decimals, drops trailing zeros, and writes it as the language does', () => {
    expect(multiplierText(4 / 3, 'en')).toBe('1.33');
    expect(multiplierText(4 / 3, 'es')).toBe('1,33');
    expect(multiplierText(1.8, 'en')).toBe('1.8');
    expect(multiplierText(2.005, 'en')).toBe('2.01');
    expect(multiplierText(null, 'en')).toBeNull();
  });

  it('names each side with its pool and multiplier', () => {
    expect(oddsSides(odds(), names, 'en')).toEqual([
      { option: 'A', name: 'Iron Mara', pool: '12,500', mult: '1' },
      { option: 'B', name: 'Zip Zero', pool: '0', mult: null },
    ]);
    expect(oddsSides(odds(), names, 'es')[0]!.pool).toBe('12.500');
  });

  it("counts the stream's close down to the room's closing time less the stream delay", () => {
    expect(streamClosesAt(odds())).toBe(10_000);
    expect(streamClosesAt(odds({ streamDelayMs: 3_000 }))).toBe(7_000);
    expect(streamCloseLeftMs(odds(), 6_000)).toBe(4_000);
    expect(streamCloseLeftMs(odds({ streamDelayMs: 3_000 }), 6_000)).toBe(1_000);
    expect(streamCloseLeftMs(odds({ streamDelayMs: 3_000 }), 8_000), 'never below 0').toBe(0);
  });

  it('writes the strip: ×multiplier or a dash, the total staked, the countdown, then closed', () => {
    const s = oddsStrip(odds({ sides: [{ option: 'A', pool: 1_500, bettors: 3, multiplier: 4 / 3 }, { option: 'B', pool: 0, bettors: 0, multiplier: null }], total: 1_500 }), names, 3_200, 'en');
    expect(s).toEqual({
      sides: [
        { option: 'A', name: 'Iron Mara', mult: '×1.33' },
        { option: 'B', name: 'Zip Zero', mult: NO_MULTIPLIER },
      ],
      staked: '1,500 points staked',
      closing: 'Bets close in 4',
      closed: false,
    });
    // Whole seconds rounded up, as the round clock: "1" until the very end, never "0" while open.
    expect(oddsStrip(odds(), names, 1, 'en').closing).toBe('Bets close in 1');
    expect(oddsStrip(odds(), names, 0, 'en')).toMatchObject({ closing: 'Bets closed', closed: true });
    const es = oddsStrip(odds(), names, 4_000, 'es');
    expect(es).toMatchObject({ staked: '12.500 puntos apostados', closing: 'Las apuestas cierran en 4', closed: false });
    expect(oddsStrip(odds(), names, 0, 'es').closing).toBe('Apuestas cerradas');
  });
});
