import { describe, expect, it } from 'vitest';
import { CALM_MS, MAX_DELAY_MS, createRestartPacer } from './restart-pacer.ts';

describe('createRestartPacer', () => {
  it('restarts at once after a calm spell, and backs off when restarts come close together', () => {
    const p = createRestartPacer();
    expect(p.next(0)).toBe(0);
    expect(p.next(100)).toBe(250);
    expect(p.next(400)).toBe(500);
    expect(p.next(1000)).toBe(1000);
    let t = 1000;
    for (let i = 0; i < 10; i++) p.next((t += 10));
    expect(p.next((t += 10))).toBe(MAX_DELAY_MS);
    expect(p.next(t + CALM_MS)).toBe(0);
  });
});
