import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';

/** A batch function whose batches finish only when the test says so. */
function gated() {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((r) => gates.push(r));
    return items.map((n) => n * 10);
  };
  const release = async () => {
    await new Promise((r) => setTimeout(r, 0));
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { batches, run, release };
}

describe('Batcher', () => {
  it('answers a lone item on its own, without waiting for company', async () => {
    const b = new Batcher(async (items: number[]) => items.map((n) => n + 1));
    await expect(b.submit(41)).resolves.toBe(42);
  });

  it('groups items that arrive while a batch is in flight, and answers each in order', async () => {
    const g = gated();
    const b = new Batcher(g.run);
    const first = b.submit(1);
    await new Promise((r) => setTimeout(r, 0)); // batch [1] is now in flight
    const later = [b.submit(2), b.submit(3), b.submit(4)];
    expect(b.waiting).toBe(3);
    await g.release();
    await g.release();
    expect(await first).toBe(10);
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('puts items submitted in the same turn into one batch', async () => {
    const seen: number[][] = [];
    const b = new Batcher(async (items: number[]) => (seen.push(items), items));
    await Promise.all([b.submit(1), b.submit(2), b.submit(3)]);
    expect(seen).toEqual([[1, 2, 3]]);
  });

  it('never puts more than maxBatch items in one batch', async () => {
    const seen: number[] = [];
    const b = new Batcher(async (items: number[]) => (seen.push(items.length), items), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.submit(n)));
    expect(seen).toEqual([2, 2, 1]);
  });

  it('rejects every item of a failed batch and keeps serving the next ones', async () => {
    let fail = true;
    const b = new Batcher(async (items: number[]) => {
      if (fail) throw new Error('boom');
      return items;
    });
    const failed = [b.submit(1), b.submit(2)];
    await expect(Promise.all(failed)).rejects.toThrow('boom');
    await Promise.allSettled(failed);
    fail = false;
    await expect(b.submit(3)).resolves.toBe(3);
  });

  it('refuses an answer that does not cover every item', async () => {
    const b = new Batcher(async (items: number[]) => items.slice(1));
    await expect(Promise.all([b.submit(1), b.submit(2)])).rejects.toThrow('answered 1 of 2');
  });

  it('with a gap, a busy stream of items goes in batches started at least minGapMs apart; a lone first item goes at once', async () => {
    const starts: number[] = [];
    const sizes: number[] = [];
    const b = new Batcher(async (items: number[]) => {
      starts.push(Date.now());
      sizes.push(items.length);
      return items;
    }, 200, 60);
    const t0 = Date.now();
    const answers: Array<Promise<number>> = [b.submit(0)];
    // 30 items, one every 10 ms: without the gap each would be a batch of its own.
    for (let i = 1; i <= 30; i++) {
      await new Promise((r) => setTimeout(r, 10));
      answers.push(b.submit(i));
    }
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(starts[0]! - t0).toBeLessThan(30);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(59);
    expect(sizes.length).toBeLessThan(12);
    expect(sizes.reduce((a, n) => a + n, 0)).toBe(31);
  });
});
