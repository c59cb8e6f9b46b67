import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isEligible, MATCHMAKING_DEFAULTS, nextPairing } from './matchmaking.ts';
import type { Pairing, RosterEntry } from './matchmaking.ts';
import { tierDistance, TIERS } from './tiers.ts';
import type { Tier } from './tiers.ts';
import { mulberry32, shuffled } from '../prng.ts';

const NOW = 1_800_000_000_000;
const DAY = 24 * 3600 * 1000;
const entry = (id: string, tier: Tier, extra: Partial<RosterEntry> = {}): RosterEntry => ({ id, tier, lastFoughtAt: NOW - 3600_000, ...extra });
/** Two fighters of every ranked tier and two newcomers. */
const ladder = (): RosterEntry[] => ['S', 'A', 'B', 'C', 'N'].flatMap((t) => [entry(`${t}1`, t as Tier), entry(`${t}2`, t as Tier)]);
const noDebut = { debutShare: 0 };

const rosterArb = fc
  .uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      tier: fc.constantFrom(...TIERS),
      // Mostly active fighters, some idle past the 3-day retirement, a few never fought or retired by hand.
      lastFoughtAt: fc.option(fc.integer({ min: NOW - 4 * DAY, max: NOW }), { nil: null, freq: 8 }),
      retired: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { selector: (f) => f.id, maxLength: 20 },
  )
  .chain((fs) =>
    fc.tuple(fc.constant(fs), fc.array(fc.nat(), { minLength: fs.length, maxLength: fs.length })).map(([list, picks]) =>
      list.map((f, i): RosterEntry => ({ ...f, lastOpponent: list.length > 1 ? (list[(picks[i] as number) % list.length] as RosterEntry).id : null })),
    ),
  );

describe('nextPairing', () => {
  it('is a pure function of roster, time, seed and options, whatever the roster order', () => {
    fc.assert(
      fc.property(rosterArb, fc.integer(), fc.integer(), (roster, seed, shuffleSeed) => {
        const p = nextPairing(roster, { now: NOW, seed });
        expect(nextPairing(roster, { now: NOW, seed })).toEqual(p);
        expect(nextPairing(shuffled(mulberry32(shuffleSeed), roster), { now: NOW, seed })).toEqual(p);
      }),
    );
  });

  it('never picks a retired or idle fighter, and never a fighter against itself', () => {
    fc.assert(
      fc.property(rosterArb, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (roster, seed, debutShare) => {
        const p = nextPairing(roster, { now: NOW, seed }, { debutShare, minRoster: 2 });
        const picked = p.kind === 'pair' ? [p.a, p.b] : p.kind === 'debut' ? [p.opponent] : [];
        for (const id of picked) expect(isEligible(roster.find((f) => f.id === id) as RosterEntry, NOW)).toBe(true);
        if (p.kind === 'pair') expect(p.a).not.toBe(p.b);
        if (p.kind === 'fresh') expect(roster.filter((f) => isEligible(f, NOW))).toEqual([]);
      }),
    );
  });

  it('pairs the same or a neighbouring tier and avoids an immediate rematch whenever the roster allows', () => {
    fc.assert(
      fc.property(rosterArb, fc.integer(), (roster, seed) => {
        const p = nextPairing(roster, { now: NOW, seed }, { ...noDebut, minRoster: 2 });
        if (p.kind !== 'pair') return;
        const byId = new Map(roster.map((f) => [f.id, f]));
        const a = byId.get(p.a) as RosterEntry;
        const b = byId.get(p.b) as RosterEntry;
        const fits = (f: RosterEntry) =>
          f.id !== a.id && isEligible(f, NOW) && tierDistance(f.tier, a.tier) <= 1 && f.lastOpponent !== a.id && a.lastOpponent !== f.id;
        if (roster.some(fits)) expect(fits(b)).toBe(true);
      }),
    );
  });

  it('debuts about the configured share of rounds, never with 0, always with 1', () => {
    const count = (debutShare: number) =>
      Array.from({ length: 2000 }, (_, seed) => nextPairing(ladder(), { now: NOW, seed }, { debutShare, minRoster: 2 })).filter((p) => p.kind === 'debut').length;
    expect(count(0)).toBe(0);
    expect(count(1)).toBe(2000);
    expect(count(0.25)).toBeGreaterThan(400);
    expect(count(0.25)).toBeLessThan(600);
  });

  it('gives a debut an opponent next to N (A, B, C or N)', () => {
    for (let seed = 0; seed < 200; seed++) {
      const p = nextPairing(ladder(), { now: NOW, seed }, { debutShare: 1 });
      expect(p.kind).toBe('debut');
      expect((p as Extract<Pairing, { kind: 'debut' }>).opponent).not.toMatch(/^S/);
    }
  });

  it('debuts until the roster reaches minRoster, and asks for two newcomers when nobody is eligible', () => {
    const three = ladder().slice(0, 3);
    expect(nextPairing(three, { now: NOW, seed: 1 }, noDebut).kind).toBe('debut');
    expect(nextPairing(three, { now: NOW, seed: 1 }, { ...noDebut, minRoster: 3 }).kind).toBe('pair');
    expect(nextPairing([], { now: NOW, seed: 1 })).toEqual({ kind: 'fresh' });
    expect(nextPairing([entry('x', 'B', { retired: true })], { now: NOW, seed: 1 })).toEqual({ kind: 'fresh' });
  });

  it('retires a fighter idle longer than retireAfterMs from matchmaking; a fighter that never fought stays', () => {
    const idle = entry('idle', 'B', { lastFoughtAt: NOW - MATCHMAKING_DEFAULTS.retireAfterMs - 1 });
    expect(isEligible(idle, NOW)).toBe(false);
    expect(isEligible(idle, NOW, MATCHMAKING_DEFAULTS.retireAfterMs + 1)).toBe(true);
    expect(isEligible(entry('new', 'N', { lastFoughtAt: null }), NOW)).toBe(true);
  });

  it('still makes a fight from two fighters who just met, and an exhibition ignores tiers', () => {
    const two = [entry('p', 'S', { lastOpponent: 'q' }), entry('q', 'C', { lastOpponent: 'p' })];
    const p = nextPairing(two, { now: NOW, seed: 3 }, { ...noDebut, minRoster: 2 });
    expect(p.kind === 'pair' && [p.a, p.b].sort()).toEqual(['p', 'q']);
    const far = [entry('s', 'S'), entry('c1', 'C'), entry('c2', 'C')];
    const seen = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const q = nextPairing(far, { now: NOW, seed }, { mode: 'exhibition', debutShare: 0, minRoster: 2 });
      if (q.kind === 'pair') seen.add([q.a, q.b].sort().join());
      const r = nextPairing(far, { now: NOW, seed }, { ...noDebut, minRoster: 2 });
      // S and C are two tiers apart: in matchmaking they meet only when the S fighter is picked first.
      if (r.kind === 'pair' && r.a === 'c1') expect(r.b).toBe('c2');
    }
    expect(seen.has('c1,s') || seen.has('c2,s')).toBe(true);
  });
});
