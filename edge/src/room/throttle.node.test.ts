import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './throttle.ts';

const INTERVAL_MS = 100;

describe('Throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes a first change at once', () => {
    const flush = vi.fn();
    new Throttle(INTERVAL_MS, flush).poke();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('merges the changes inside a window into one flush when the window closes, and sends nothing more', () => {
    const flush = vi.fn();
    const throttle = new Throttle(INTERVAL_MS, flush);
    throttle.poke();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(4);
      throttle.poke();
    }
    expect(flush).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(INTERVAL_MS - 80 - 1);
    expect(flush).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(flush).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10 * INTERVAL_MS);
    expect(flush).toHaveBeenCalledTimes(2);
  });

  it('flushes at once again after a quiet window', () => {
    const flush = vi.fn();
    const throttle = new Throttle(INTERVAL_MS, flush);
    throttle.poke();
    vi.advanceTimersByTime(INTERVAL_MS);
    throttle.poke();
    expect(flush).toHaveBeenCalledTimes(2);
  });

  it('under a change every millisecond, flushes at most once per interval and always after the last change', () => {
    const flushedAt: number[] = [];
    const throttle = new Throttle(INTERVAL_MS, () => flushedAt.push(Date.now()));
    const start = Date.now();
    let lastChange = start;
    for (let i = 0; i < 1_000; i++) {
      lastChange = Date.now();
      throttle.poke();
      vi.advanceTimersByTime(1);
    }
    vi.runAllTimers();
    expect(flushedAt.length).toBeGreaterThanOrEqual(10);
    expect(flushedAt.length).toBeLessThanOrEqual(1_000 / INTERVAL_MS + 1);
    for (let i = 1; i < flushedAt.length; i++) expect(flushedAt[i]! - flushedAt[i - 1]!).toBeGreaterThanOrEqual(INTERVAL_MS);
    expect(flushedAt.at(-1)!).toBeGreaterThanOrEqual(lastChange);
  });

  it('reads time from the clock it is given', () => {
    let now = 0;
    const flush = vi.fn();
    const throttle = new Throttle(INTERVAL_MS, flush, () => now);
    throttle.poke();
    now = INTERVAL_MS;
    throttle.poke();
    expect(flush).toHaveBeenCalledTimes(2);
  });
});
