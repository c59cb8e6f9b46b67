import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaseMsFor, nextMoveAt, planLeases, renew, type LeaseRecord, type RendererSeen } from './lease-plan.ts';

const T = { leaseMs: 2_500, soloLeaseMs: 300_000, marginMs: 500 };
const node = (id: string, capacity = 2, lastReportAt = 0): RendererSeen => ({ id, node: `box-${id}`, capacity, lastReportAt });
const holders = (leases: LeaseRecord[]) => Object.fromEntries(leases.filter((l) => !l.released).map((l) => [l.key, l.renderer]));

describe('planLeases', () => {
  it('gives each stream to one renderer, spread by the capacity each states', () => {
    const leases = planLeases(['s1', 's2', 's3', 's4'], [], [node('a', 1), node('b', 3)], 0, T);
    expect(holders(leases)).toEqual({ s1: 'b', s2: 'b', s3: 'a', s4: 'b' });
    // Both renderers are live: the short lease, so a dead holder keeps a stream off the air for seconds only.
    expect(leases.every((l) => l.until === T.leaseMs)).toBe(true);
  });

  it('leaves a stream unassigned when every renderer is full, and assigns it when room appears', () => {
    const full = planLeases(['s1', 's2', 's3'], [], [node('a', 1), node('b', 1)], 0, T);
    expect(Object.keys(holders(full))).toEqual(['s1', 's2']);
    const more = planLeases(['s1', 's2', 's3'], full, [node('a', 1), node('b', 1), node('c', 1)], 10, T);
    expect(holders(more)).toEqual({ ...holders(full), s3: 'c' });
  });

  it('a renderer alone gets the long lease', () => {
    const [lease] = planLeases(['s1'], [], [node('a')], 0, T);
    expect(lease!.until).toBe(T.soloLeaseMs);
    expect(leaseMsFor(1, T)).toBe(T.soloLeaseMs);
    expect(leaseMsFor(2, T)).toBe(T.leaseMs);
  });

  it('moves a stream only once its gone holder’s lease and the margin have run out', () => {
    const held = planLeases(['s1'], [], [node('a'), node('b')], 0, T);
    expect(holders(held)).toEqual({ s1: 'a' });
    // a disconnects at 1 000 ms; b reports on.
    const onlyB = (at: number) => [node('b', 2, at)];
    expect(holders(planLeases(['s1'], held, onlyB(2_000), 2_000, T))).toEqual({ s1: 'a' });
    expect(holders(planLeases(['s1'], held, onlyB(2_999), 2_999, T))).toEqual({ s1: 'a' });
    expect(nextMoveAt(held, onlyB(2_000), 2_000, T)).toBe(3_000);
    const moved = planLeases(['s1'], held, onlyB(3_000), 3_000, T);
    expect(holders(moved)).toEqual({ s1: 'b' });
    // b is alone now: its lease is the long one.
    expect(moved[0]!.until).toBe(3_000 + T.soloLeaseMs);
  });

  it('treats a connected renderer that stopped reporting as gone', () => {
    const held = planLeases(['s1'], [], [node('a'), node('b')], 0, T);
    const quietA = (at: number) => [node('a', 2, 0), node('b', 2, at)];
    expect(holders(planLeases(['s1'], held, quietA(2_500), 2_500, T))).toEqual({ s1: 'a' });
    expect(holders(planLeases(['s1'], held, quietA(3_000), 3_000, T))).toEqual({ s1: 'b' });
  });

  it('releases a stream no longer wanted, and keeps its key with the holder until the lease is over', () => {
    const both = [node('a'), node('b')];
    const held = planLeases(['s1', 's2'], [], both, 0, T);
    expect(holders(held)).toEqual({ s1: 'a', s2: 'b' });
    const released = planLeases(['s2'], held, both, 10, T);
    expect(holders(released)).toEqual({ s2: 'b' });
    expect(released.find((l) => l.key === 's1')).toMatchObject({ renderer: 'a', released: true });
    // Started again while a is gone (cut off, it may still be publishing s1): it waits for a's lease.
    const onlyB = (at: number) => [node('b', 2, at)];
    const waiting = planLeases(['s1', 's2'], released, onlyB(2_000), 2_000, T);
    expect(holders(waiting)).toEqual({ s2: 'b' });
    expect(waiting.find((l) => l.key === 's1')).toMatchObject({ renderer: 'a', released: true });
    expect(holders(planLeases(['s1', 's2'], waiting, onlyB(3_000), 3_000, T))).toEqual({ s1: 'b', s2: 'b' });
    // Started again while its holder is live and has room: back to it at once.
    expect(holders(planLeases(['s1', 's2'], released, both, 20, T))).toEqual({ s1: 'a', s2: 'b' });
    // Released records are not renewed, and are forgotten once over.
    expect(renew(released, 'a', 2_000, T.leaseMs)).toEqual(released);
    expect(planLeases(['s2'], released, onlyB(3_000), 3_000, T).map((l) => l.key)).toEqual(['s2']);
  });

  it('renewals move until on, never back: a long lease granted alone still binds after a standby arrives', () => {
    const [solo] = planLeases(['s1'], [], [node('a')], 0, T);
    const renewed = renew([solo!], 'a', 1_000, T.leaseMs);
    expect(renewed[0]!.until).toBe(T.soloLeaseMs);
    expect(renew(renewed, 'a', 400_000, T.leaseMs)[0]!.until).toBe(400_000 + T.leaseMs);
    expect(renew(renewed, 'b', 400_000, T.leaseMs)).toEqual(renewed);
  });

  it('never puts one key on two renderers, and never past a renderer’s capacity, whatever happens', () => {
    const ids = ['a', 'b', 'c'];
    const step = fc.record({ dt: fc.integer({ min: 0, max: 4_000 }), present: fc.subarray(ids), quiet: fc.subarray(ids), keys: fc.subarray(['s1', 's2', 's3', 's4', 's5']) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }), (steps, caps) => {
        let now = 0;
        let held: LeaseRecord[] = [];
        const lastReport = new Map<string, number>();
        // Each key's holder history: a new holder only after the old one's `until + margin`.
        const history = new Map<string, LeaseRecord>();
        for (const s of steps) {
          now += s.dt;
          const renderers = s.present.map((id) => {
            if (!s.quiet.includes(id) || !lastReport.has(id)) lastReport.set(id, now);
            return node(id, caps[ids.indexOf(id)]!, lastReport.get(id)!);
          });
          held = planLeases(s.keys, held, renderers, now, T);
          for (const r of renderers) if (r.lastReportAt === now) held = renew(held, r.id, now, leaseMsFor(renderers.length, T));
          expect(new Set(held.map((l) => l.key)).size).toBe(held.length);
          // (A released stream was told to stop: it takes no place.)
          for (const id of ids) expect(held.filter((l) => l.renderer === id && !l.released && s.present.includes(id)).length).toBeLessThanOrEqual(caps[ids.indexOf(id)]!);
          for (const l of held) {
            const before = history.get(l.key);
            if (before && before.renderer !== l.renderer) expect(now).toBeGreaterThanOrEqual(before.until + T.marginMs);
            history.set(l.key, l);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
