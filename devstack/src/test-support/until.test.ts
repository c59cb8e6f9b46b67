import { describe, expect, it } from 'vitest';
import { until } from './until.ts';

describe('until', () => {
  it('asks again until the probe answers, and returns the answer', async () => {
    let asked = 0;
    const answer = await until('the third question', () => ++asked >= 3 && `asked ${asked} times`, 1_000, 5);
    expect(answer).toBe('asked 3 times');
  });

  it('waits for an async probe too', async () => {
    let asked = 0;
    expect(await until('a promise', async () => (++asked >= 2 ? { ok: true } : null), 1_000, 5)).toEqual({ ok: true });
  });

  it('gives up after its bound, saying what it waited for', async () => {
    const started = Date.now();
    await expect(until('a miracle', () => false, 100, 10)).rejects.toThrow(/timed out after 100 ms waiting for a miracle/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails at once when the probe throws', async () => {
    const started = Date.now();
    await expect(until('a broken probe', () => { throw new Error('probe broke'); }, 5_000)).rejects.toThrow('probe broke');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
