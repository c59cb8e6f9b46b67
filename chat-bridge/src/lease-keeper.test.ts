import { describe, expect, it } from 'vitest';
import { createLeaseKeeper } from './lease-keeper.ts';

const A = 'twitch:a';
const B = 'youtube:b';

describe('lease keeper', () => {
  it('waits before the first answer, then holds what it lists and stands by for the rest', () => {
    let t = 1_000;
    const k = createLeaseKeeper({ now: () => t });
    expect(k.standing(A)).toBe('waiting');
    k.apply([{ source: A, ms: 15_000 }], 1_000);
    expect([k.standing(A), k.standing(B)]).toEqual(['held', 'standby']);
    expect(k.msLeft(A)).toBe(15_000);
    expect(k.msLeft(B)).toBeNull();
    t = 5_000;
    expect(k.msLeft(A)).toBe(11_000);
  });

  it('counts the lease from when the report was sent, not from when the answer came', () => {
    let t = 0;
    const k = createLeaseKeeper({ now: () => t });
    const sentAt = k.now();
    t = 4_000; // a slow answer
    k.apply([{ source: A, ms: 15_000 }], sentAt);
    t = 14_999;
    expect(k.standing(A)).toBe('held');
    t = 15_000;
    expect(k.standing(A), 'ends 15 s after the report left').toBe('waiting');
  });

  it('runs out with no answer (the edge away): the source waits, and comes back with the next answer that lists it', () => {
    let t = 0;
    const k = createLeaseKeeper({ now: () => t });
    k.apply([{ source: A, ms: 1_000 }], 0);
    t = 1_000;
    expect(k.standing(A)).toBe('waiting');
    expect(k.msLeft(A)).toBe(0);
    k.apply([{ source: A, ms: 1_000 }], t);
    expect(k.standing(A)).toBe('held');
    // An answer that leaves it out: another bridge has it.
    k.apply([], t);
    expect(k.standing(A)).toBe('standby');
  });

  it('a refused batch (notLeased) makes a held source a standby at once', () => {
    const k = createLeaseKeeper({ now: () => 0 });
    k.apply([{ source: A, ms: 1_000 }, { source: B, ms: 1_000 }], 0);
    k.lost(A);
    expect([k.standing(A), k.standing(B)]).toEqual(['standby', 'held']);
  });

  it('a room that does not lease (no `leases` in its answer): every source is held, with no end', () => {
    const k = createLeaseKeeper({ now: () => 0 });
    k.apply(undefined, 0);
    k.lost(A);
    expect([k.standing(A), k.standing(B)]).toEqual(['held', 'held']);
    expect(k.msLeft(A)).toBeNull();
  });
});
