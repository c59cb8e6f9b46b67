import { describe, expect, it } from 'vitest';
import type { BetResult, OptionId } from '@stream-fighter/core';
import { oddsStrip } from '@stream-fighter/view/odds-line';
import { translator } from '@stream-fighter/view/words';
import { betRefusalText, oddsLines, pointsText, resultLines } from './bet-text.ts';

const en = translator('en');
const es = translator('es');
const names = (id: OptionId) => ({ A: 'Iron Mara', B: 'Zip Zero' })[id as 'A' | 'B'];
const result = (over: Partial<BetResult>): BetResult => ({ pollId: 'p1', option: 'A', points: 200, at: 0, payout: 0, net: -200, winner: 'B', refund: null, bailout: 0, settledAt: 1, ...over });

describe('the points panel words', () => {
  it('writes balances and odds as people read numbers', () => {
    expect(pointsText(en, 'en', 12345)).toBe('12,345 points');
    expect(pointsText(es, 'es', 1000)).toBe('1000 puntos');
    const odds = { sides: [{ option: 'A' as OptionId, pool: 1500, bettors: 3, multiplier: 4 / 3 }, { option: 'B' as OptionId, pool: 0, bettors: 0, multiplier: null }] };
    expect(oddsLines(en, 'en', odds, names)).toEqual(['Iron Mara: 1,500 points, pays 1.33×', 'Zip Zero: no bets yet']);
    expect(oddsLines(es, 'es', odds, names)[0]).toBe('Iron Mara: 1500 puntos, paga 1,33×');
  });

  it("shows the same multiplier as the stream's odds strip (view/odds-line.ts)", () => {
    const odds = { total: 3000, sides: [{ option: 'A' as OptionId, pool: 1000, bettors: 1, multiplier: 2.005 }, { option: 'B' as OptionId, pool: 2000, bettors: 2, multiplier: 1.5 }] };
    expect(oddsLines(en, 'en', odds, names)).toEqual(['Iron Mara: 1,000 points, pays 2.01×', 'Zip Zero: 2,000 points, pays 1.5×']);
    expect(oddsStrip(odds, names, 1000, 'en').sides.map((s) => s.mult)).toEqual(['×2.01', '×1.5']);
    expect(oddsLines(es, 'es', odds, names)[0]).toBe('Iron Mara: 1000 puntos, paga 2,01×');
  });

  it('says what a settled bet did', () => {
    expect(resultLines(en, 'en', result({ payout: 550, net: 350, winner: 'A' }), 1350)).toEqual(['You won 350 points!']);
    expect(resultLines(en, 'en', result({}), 800)).toEqual(['You lost 200 points.']);
    expect(resultLines(en, 'en', result({ points: 1000, net: -1000, bailout: 100 }), 100)).toEqual(['You lost 1,000 points.', 'You were topped up to 100 points.']);
    expect(resultLines(en, 'en', result({ payout: 200, net: 0, winner: null, refund: 'tie' }), 1000)).toEqual(['A draw: your 200 points came back.']);
    expect(resultLines(en, 'en', result({ payout: 200, net: 0, refund: 'no-losers' }), 1000)).toEqual(['Nobody bet against you: your 200 points came back.']);
  });

  it('tells a refused bet by its code', () => {
    expect(betRefusalText(en, 'over-balance')).toBe('You do not have that many points.');
    expect(betRefusalText(en, 'bets-closed')).toBe('Too late: the fight has started.');
    expect(betRefusalText(en, 'toString')).toBe('Your bet did not go through (toString). Try again.');
  });
});
