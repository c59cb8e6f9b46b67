import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fightFromResult, fighterId, NEW_RECORD, recordFight } from './record.ts';
import type { FighterRecord, FightOutcome } from './record.ts';
import { makeResult } from '../../fixtures/rounds.ts';

describe('fighterId', () => {
  it('is a readable slug plus a hash of the exact name, the same on every call', () => {
    expect(fighterId('El Tornado')).toMatch(/^el-tornado-[0-9a-z]+$/);
    expect(fighterId('El Tornado')).toBe(fighterId('El Tornado'));
    expect(fighterId('Señor Cóndor')).toMatch(/^senor-condor-/);
    expect(fighterId('Señor Cóndor')).not.toBe(fighterId('Senor Condor'));
    expect(fighterId('🔥🔥')).toMatch(/^fighter-/);
    expect(fighterId('x'.repeat(32)).length).toBeLessThanOrEqual(48);
  });

  it('is URL-safe for any name', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 32 }), (name) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(fighterId(name))));
  });
});

describe('recordFight', () => {
  const at = 1_800_000_000_000;

  it('counts a KO win, a loss and the streaks', () => {
    const vet: FighterRecord = { ...NEW_RECORD, wins: 3, streak: -2, fights: 3, firstFoughtAt: at - 1000, lastFoughtAt: at - 1000 };
    const { a, b, delta } = recordFight(vet, NEW_RECORD, { winner: 'a', ko: true, at });
    expect(delta).toBe(16);
    expect(a).toEqual({ ...vet, rating: 1516, wins: 4, kos: 1, streak: 1, fights: 4, lastFoughtAt: at });
    expect(b).toEqual({ ...NEW_RECORD, rating: 1484, losses: 1, streak: -1, fights: 1, firstFoughtAt: at, lastFoughtAt: at });
    expect(recordFight(b, a, { winner: 'a', ko: false, at }).b.streak).toBe(-1);
    expect(recordFight(b, a, { winner: 'b', ko: false, at }).b.streak).toBe(2);
  });

  it('keeps the first and latest fight times when a fight is recorded late', () => {
    const vet: FighterRecord = { ...NEW_RECORD, wins: 1, fights: 1, firstFoughtAt: at, lastFoughtAt: at };
    const late = recordFight(vet, vet, { winner: 'b', ko: false, at: at - 5000 }).a;
    expect([late.firstFoughtAt, late.lastFoughtAt]).toEqual([at - 5000, at]);
  });

  it('counts a tie for both and resets both streaks', () => {
    const hot = { ...NEW_RECORD, streak: 4, fights: 4 };
    const { a, b } = recordFight(hot, { ...NEW_RECORD, streak: -3 }, { winner: null, ko: false, at });
    expect([a.ties, b.ties, a.streak, b.streak, a.wins + a.losses]).toEqual([1, 1, 0, 0, 0]);
  });

  it('keeps every counter consistent and the ratings zero-sum for any fight', () => {
    const outcome = fc.record({ winner: fc.constantFrom<FightOutcome['winner']>('a', 'b', null), ko: fc.boolean(), at: fc.integer({ min: 0, max: 2e12 }) });
    const rec = fc.record({ rating: fc.integer({ min: 500, max: 2500 }), wins: fc.nat(50), losses: fc.nat(50), ties: fc.nat(50) }).map(
      (r): FighterRecord => ({ ...NEW_RECORD, ...r, kos: Math.floor(r.wins / 2), fights: r.wins + r.losses + r.ties }),
    );
    fc.assert(
      fc.property(rec, rec, outcome, (x, y, o) => {
        const { a, b } = recordFight(x, y, o);
        expect(a.rating + b.rating).toBe(x.rating + y.rating);
        for (const r of [a, b]) {
          expect(r.fights).toBe(r.wins + r.losses + r.ties);
          expect(r.kos).toBeLessThanOrEqual(r.wins);
        }
      }),
    );
  });
});

describe('fightFromResult', () => {
  it('reads a fight from a finished round', () => {
    const fight = fightFromResult(makeResult('p1', { names: ['Ann', 'Bob'], winner: 'B' }));
    expect(fight?.a).toMatchObject({ option: 'A', id: fighterId('Ann') });
    expect(fight?.outcome).toMatchObject({ winner: 'b', ko: true });
    expect(fightFromResult(makeResult('p2', { names: ['Ann', 'Bob'], winner: null }))?.outcome.winner).toBeNull();
  });

  it('skips plain polls and mirror matches', () => {
    expect(fightFromResult(makeResult('p3', { names: ['Ann', 'Bob', 'Cy'] }))).toBeNull();
    expect(fightFromResult(makeResult('p4', { names: ['Ann', 'Ann'] }))).toBeNull();
  });
});
