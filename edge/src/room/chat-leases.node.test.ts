import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterReport, binds, mayRelay, type ChatLeaseRecord, type ChatReader } from './chat-leases.ts';

const T = { leaseMs: 15_000, marginMs: 1_000 };
const S = 'twitch:streamfighter';
const reader = (bridge: string, at: number, connected = true): ChatReader => ({ bridge, at, connected });

describe('afterReport', () => {
  it('grants a free source to the bridge that reports it, and renews it on each of its reports', () => {
    const a = afterReport(undefined, S, 'a', true, [], 0, T);
    expect(a).toEqual({ source: S, bridge: 'a', until: 15_000 });
    expect(afterReport(a, S, 'a', true, [], 5_000, T)).toEqual({ source: S, bridge: 'a', until: 20_000 });
  });

  it('keeps a held source from another bridge until the holder’s lease and the margin are over', () => {
    const a = afterReport(undefined, S, 'a', true, [], 0, T)!;
    expect(afterReport(a, S, 'b', true, [reader('a', 0)], 10_000, T)).toBe(a);
    expect(afterReport(a, S, 'b', true, [reader('a', 0)], 15_999, T)).toBe(a);
    expect(afterReport(a, S, 'b', true, [reader('a', 0)], 16_000, T)).toEqual({ source: S, bridge: 'b', until: 31_000 });
  });

  it('a holder back after its lease ran out keeps the source when nobody took it', () => {
    const a = afterReport(undefined, S, 'a', true, [], 0, T)!;
    expect(afterReport(a, S, 'a', true, [], 40_000, T)).toEqual({ source: S, bridge: 'a', until: 55_000 });
  });

  it('a holder whose chat is down is not renewed while another bridge reads it connected, so the source moves', () => {
    const a = afterReport(undefined, S, 'a', true, [], 0, T)!;
    const readers = [reader('a', 5_000, false), reader('b', 4_000)];
    expect(afterReport(a, S, 'a', false, readers, 5_000, T)).toBe(a);
    // Alone, a bridge whose chat is down keeps what it has: nobody reads it better.
    expect(afterReport(a, S, 'a', false, [reader('a', 5_000, false)], 5_000, T)).toEqual({ ...a, until: 20_000 });
    // A free source goes to a working reader before one whose chat is down.
    expect(afterReport(undefined, S, 'c', false, readers, 5_000, T)).toBeUndefined();
    // A connected report older than a lease does not count.
    expect(afterReport(undefined, S, 'c', false, [reader('b', 5_000 - 15_001)], 5_000, T)).toMatchObject({ bridge: 'c' });
  });
});

describe('mayRelay', () => {
  it('takes a batch from the holder, or from anyone while nobody holds the source', () => {
    const a: ChatLeaseRecord = { source: S, bridge: 'a', until: 15_000 };
    expect(mayRelay(undefined, 'b', 0, T)).toBe(true);
    expect(mayRelay(a, 'a', 20_000, T)).toBe(true);
    expect(mayRelay(a, 'b', 15_999, T)).toBe(false);
    expect(mayRelay(a, 'b', 16_000, T)).toBe(true);
    expect(binds(a, 15_999, T)).toBe(true);
  });
});

/**
 * Bridges report one source at random moments, connected or not, each report taking a random time to reach the
 * room. A bridge holds the source from when the room answered (never earlier) until `ms` after it sent the report,
 * on its own clock, as chat-bridge/src/lease-keeper.ts counts. Two bridges never hold it at the same moment, and a
 * bridge that reports a source nobody holds gets it.
 */
describe('chat leases, property', () => {
  const report = fc.record({
    bridge: fc.constantFrom('a', 'b', 'c'),
    connected: fc.boolean(),
    gap: fc.integer({ min: 0, max: 12_000 }),
    travel: fc.integer({ min: 0, max: 5_000 }),
  });

  it('never two holders at one moment, and a free source is taken by the next working reporter', () => {
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 60 }), (reports) => {
        let rec: ChatLeaseRecord | undefined;
        let now = 0;
        const readers = new Map<string, ChatReader>();
        // Per bridge, the moments it holds the source: [answered, sent + ms).
        const held: Array<{ bridge: string; from: number; to: number }> = [];
        for (const r of reports) {
          now += r.gap;
          const sent = now - r.travel;
          readers.set(r.bridge, reader(r.bridge, now, r.connected));
          const others = [...readers.values()];
          const before = rec;
          rec = afterReport(rec, S, r.bridge, r.connected, others, now, T);
          const ms = rec?.bridge === r.bridge ? rec.until - now : 0;
          // An answer replaces what the bridge was told before: its earlier window ends where this one is read.
          for (const h of held) if (h.bridge === r.bridge && h.to > now) h.to = now;
          if (ms > 0) held.push({ bridge: r.bridge, from: now, to: sent + ms });
          const free = !before || !binds(before, now, T);
          const rival = others.some((o) => o.bridge !== r.bridge && o.connected && now - o.at <= T.leaseMs);
          if (free && (r.connected || !rival)) expect(rec?.bridge).toBe(r.bridge);
        }
        for (const x of held) for (const y of held) if (x.bridge !== y.bridge) expect(x.from >= y.to || y.from >= x.to, `${JSON.stringify(x)} overlaps ${JSON.stringify(y)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
