/**
 * The lease keeper on a clock the test moves by hand: held, renewed, expired, what a new list does, and which grant
 * it applied last (a stale one, numbered below it, is ignored).
 */
import { describe, expect, it } from 'vitest';
import { defaultScreen, type StreamEntry } from '@stream-fighter/core';
import { createLeaseKeeper } from './lease-keeper.ts';

const entry = (streamKey: string): StreamEntry => ({ screenId: 'fight', screen: defaultScreen('fight'), streamKey, createdAt: 0, status: null });

function keeperAt(start = 1_000) {
  const clock = { t: start };
  const keeper = createLeaseKeeper({ now: () => clock.t });
  const keys = () => keeper.live().map((e) => e.streamKey);
  // Grants in the order the room sent them: each renewal numbered after the last.
  let seq = 100;
  const renew = (k: readonly string[], ms: number) => keeper.renew(k, ms, ++seq);
  return { clock, keeper, keys, renew };
}

describe('lease keeper', () => {
  it('holds a leased stream until leaseMs after the list arrived, then tells its expiry once', () => {
    const { clock, keeper, keys } = keeperAt();
    keeper.setStreams([entry('sf-a'), entry('sf-b')], 3_000);
    expect(keys()).toEqual(['sf-a', 'sf-b']);
    clock.t += 2_999;
    expect(keys()).toEqual(['sf-a', 'sf-b']);
    expect(keeper.takeExpired()).toEqual([]);
    clock.t += 1;
    expect(keys()).toEqual([]);
    expect(keeper.takeExpired()).toEqual(['sf-a', 'sf-b']);
    clock.t += 5_000;
    expect(keeper.takeExpired()).toEqual([]);
  });

  it('renews only the listed keys it holds, from when the renewal arrived', () => {
    const { clock, keeper, keys, renew } = keeperAt();
    keeper.setStreams([entry('sf-a'), entry('sf-b')], 1_000);
    clock.t += 800;
    expect(renew(['sf-a', 'sf-not-ours'], 1_000)).toBe(false);
    clock.t += 300; // 1 100 after the list, 300 after the renewal
    expect(keys()).toEqual(['sf-a']);
    expect(keeper.takeExpired()).toEqual(['sf-b']);
    clock.t += 699;
    expect(keys()).toEqual(['sf-a']);
    clock.t += 1;
    expect(keys()).toEqual([]);
    expect(keeper.takeExpired()).toEqual(['sf-a']);
  });

  it('brings an expired held stream back on renewal, and tells a later expiry again', () => {
    const { clock, keeper, keys, renew } = keeperAt();
    keeper.setStreams([entry('sf-a')], 500);
    clock.t += 600;
    expect(keeper.takeExpired()).toEqual(['sf-a']);
    expect(renew(['sf-a'], 500)).toBe(true);
    expect(keys()).toEqual(['sf-a']);
    expect(renew(['sf-a'], 500)).toBe(false);
    clock.t += 500;
    expect(keeper.takeExpired()).toEqual(['sf-a']);
  });

  it('takes a shorter renewal at its word', () => {
    const { clock, keeper, keys, renew } = keeperAt();
    keeper.setStreams([entry('sf-a')], 300_000);
    renew(['sf-a'], 3_000);
    clock.t += 3_000;
    expect(keys()).toEqual([]);
  });

  it('passes a list without leaseMs through for as long as it is listed (an older room), and ignores renewals of it', () => {
    const { clock, keeper, keys, renew } = keeperAt();
    keeper.setStreams([entry('sf-a'), entry('sf-b')]);
    expect(renew(['sf-a'], 500)).toBe(false);
    clock.t += 86_400_000;
    expect(keys()).toEqual(['sf-a', 'sf-b']);
    expect(keeper.takeExpired()).toEqual([]);
  });

  it('replaces the held set with each new list: a dropped key is gone and cannot be renewed, a new one is leased', () => {
    const { clock, keeper, keys, renew } = keeperAt();
    keeper.setStreams([entry('sf-a'), entry('sf-b')], 1_000);
    clock.t += 600;
    keeper.setStreams([entry('sf-b'), entry('sf-c')], 1_000);
    expect(keys()).toEqual(['sf-b', 'sf-c']);
    expect(renew(['sf-a'], 1_000)).toBe(false);
    expect(keys()).toEqual(['sf-b', 'sf-c']);
    clock.t += 999;
    expect(keys()).toEqual(['sf-b', 'sf-c']);
    // A dropped key is the room's decision, not an expiry: nothing to tell.
    clock.t += 1;
    expect(keeper.takeExpired()).toEqual(['sf-b', 'sf-c']);
    // An expired key listed again is live again; an empty list holds nothing.
    keeper.setStreams([entry('sf-b')], 1_000);
    expect(keys()).toEqual(['sf-b']);
    keeper.setStreams([], 1_000);
    expect(keys()).toEqual([]);
    expect(keeper.takeExpired()).toEqual([]);
  });

  it('remembers the seq of the last grant it applied, list or renewal', () => {
    const { keeper } = keeperAt();
    expect(keeper.appliedSeq()).toBeUndefined();
    // A room older than leases numbers nothing: still nothing to report.
    keeper.setStreams([entry('sf-a')]);
    expect(keeper.appliedSeq()).toBeUndefined();
    keeper.setStreams([entry('sf-a')], 1_000, 7);
    expect(keeper.appliedSeq()).toBe(7);
    keeper.renew(['sf-a'], 1_000, 8);
    expect(keeper.appliedSeq()).toBe(8);
    // A renewal naming nothing it holds is still a grant applied: the room's record of this node ends by it.
    keeper.renew([], 1_000, 9);
    expect(keeper.appliedSeq()).toBe(9);
    // The same grant again is not stale.
    keeper.renew(['sf-a'], 1_000, 9);
    expect(keeper.appliedSeq()).toBe(9);
  });

  it('ignores a renewal numbered below the last applied grant: it neither stretches a lease nor brings one back', () => {
    const stale: Array<[number, number]> = [];
    const clock = { t: 1_000 };
    const keeper = createLeaseKeeper({ now: () => clock.t, onStale: (seq, applied) => stale.push([seq, applied]) });
    const keys = () => keeper.live().map((e) => e.streamKey);
    keeper.setStreams([entry('sf-a')], 300_000, 10);
    // The room shortened the lease (grant 11); an older long grant (5) arriving after it must not undo that.
    keeper.renew(['sf-a'], 3_000, 11);
    expect(keeper.renew(['sf-a'], 300_000, 5)).toBe(false);
    expect(keeper.appliedSeq()).toBe(11);
    expect(stale).toEqual([[5, 11]]);
    clock.t += 3_000;
    expect(keys()).toEqual([]);
    expect(keeper.takeExpired()).toEqual(['sf-a']);
    // Nor does a stale one bring back an expired stream; a newer one does.
    expect(keeper.renew(['sf-a'], 3_000, 6)).toBe(false);
    expect(keys()).toEqual([]);
    expect(keeper.renew(['sf-a'], 3_000, 12)).toBe(true);
    expect(keys()).toEqual(['sf-a']);
  });

  it('ignores a list numbered below the last applied grant: the held set stays as the newer grant left it', () => {
    const { clock, keeper, keys } = keeperAt();
    keeper.setStreams([entry('sf-b')], 1_000, 20);
    keeper.setStreams([entry('sf-a'), entry('sf-b')], 300_000, 19);
    expect(keys()).toEqual(['sf-b']);
    expect(keeper.appliedSeq()).toBe(20);
    clock.t += 1_000;
    expect(keys()).toEqual([]);
    // A newer list replaces it as before, shorter or not.
    keeper.setStreams([entry('sf-a')], 600, 21);
    expect(keys()).toEqual(['sf-a']);
    expect(keeper.appliedSeq()).toBe(21);
  });

  it('hands on the entries as the room sent them (screen included)', () => {
    const { keeper } = keeperAt();
    const bars: StreamEntry = { ...entry('sf-bars'), screenId: 'bars', screen: defaultScreen('bars') };
    keeper.setStreams([bars], 1_000);
    expect(keeper.live()).toEqual([bars]);
  });
});
