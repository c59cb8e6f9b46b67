import { describe, expect, it } from 'vitest';
import { StallWatch } from './stall-watch.ts';

describe('StallWatch', () => {
  it('finds a viewer short of what was broadcast a stall window ago, and only that one', () => {
    const w = new StallWatch(45_000);
    for (let i = 0; i <= 60; i++) w.record(100 + i, i * 1_000);
    // At 60 s, the state sent 45 s ago (at 15 s) is seq 115.
    expect(w.stalled(114, 60_000)).toBe(true);
    expect(w.stalled(115, 60_000)).toBe(false);
    expect(w.stalled(160, 60_000)).toBe(false);
  });

  it('says nothing before a stall window of broadcasts has gone by', () => {
    const w = new StallWatch(45_000);
    w.record(1, 0);
    w.record(2, 10_000);
    expect(w.stalled(0, 44_999)).toBe(false);
    expect(w.stalled(0, 45_000)).toBe(true);
  });

  it('keeps a bounded history: ten broadcasts a second for an hour', () => {
    const w = new StallWatch(45_000);
    for (let i = 0; i < 36_000; i++) w.record(i, i * 100);
    expect((w as unknown as { sent: unknown[] }).sent.length).toBeLessThanOrEqual(901);
    // At 3 600 s the state sent 45 s ago (at 3 555 s) is seq 35 550.
    expect(w.stalled(35_549, 3_600_000)).toBe(true);
    expect(w.stalled(35_550, 3_600_000)).toBe(false);
  });
});
