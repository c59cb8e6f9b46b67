import { describe, expect, it } from 'vitest';
import { translator } from '@stream-fighter/view/words';
import { hitText, vibrationFor } from './hit-text.ts';

describe('the hit a vote landed, in words', () => {
  it('names the move and its damage as people read numbers', () => {
    expect(hitText(translator('en'), 'en', { move: 'Claw Swipe', damage: 21845 })).toBe('Claw Swipe! 21,845 damage');
    expect(hitText(translator('en'), 'en', { move: 'Jab', damage: 7 })).toBe('Jab! 7 damage');
    // Spanish groups thousands from five digits on, and opens the exclamation.
    expect(hitText(translator('es'), 'es', { move: 'Claw Swipe', damage: 21845 })).toBe('¡Claw Swipe! 21.845 de daño');
    expect(hitText(translator('es'), 'es', { move: 'Jab', damage: 1234 })).toBe('¡Jab! 1234 de daño');
  });

  it('buzzes harder for the special than for a punch or a kick', () => {
    expect(vibrationFor('punch')).toEqual(vibrationFor('kick'));
    const total = (p: number[]) => p.reduce((a, b) => a + b, 0);
    expect(total(vibrationFor('special'))).toBeGreaterThan(total(vibrationFor('punch')));
    // Short: a tap, not an alarm (and the Vibration API's patterns alternate on, off, on).
    expect(total(vibrationFor('special'))).toBeLessThanOrEqual(200);
    expect(vibrationFor('special').length % 2).toBe(1);
  });
});
