import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ATTACK_KINDS } from './ids.ts';
import type { AttackKind } from './ids.ts';
import { MAX_HP, PHASE_MS } from './round-state.ts';
import type { RoundResult } from './round-state.ts';
import { ATTACK_WEIGHTS, KIND_MULTIPLIER, MAX_DAMAGE, MIN_AUDIENCE, attackKindFor, damageFor, nextAudience } from './damage.ts';
import { matchupOf } from '../fixtures/matchups.ts';

const kindArb = fc.constantFrom(...ATTACK_KINDS);

describe('damageFor', () => {
  it('is an integer in [1, MAX_HP/4] for any audience, so even a tiny crowd needs 4 hits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), kindArb, (audience, kind) => {
        const d = damageFor(audience, kind);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(1);
        expect(d).toBeLessThanOrEqual(MAX_DAMAGE);
        expect(Math.ceil(MAX_HP / d)).toBeGreaterThanOrEqual(4);
      }),
    );
  });

  it('never grows as the audience grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), kindArb, (x, y, kind) => {
        const [small, big] = x <= y ? [x, y] : [y, x];
        expect(damageFor(small, kind)).toBeGreaterThanOrEqual(damageFor(big, kind));
      }),
    );
  });

  it('averages MAX_HP / (0.8 × audience) per hit, with punch < kick < special', () => {
    const mean = (audience: number) =>
      ATTACK_KINDS.reduce((sum, k) => sum + ATTACK_WEIGHTS[k] * damageFor(audience, k), 0) / 10;
    expect(mean(1_000)).toBeCloseTo(125, 0);
    expect(mean(5_000)).toBeCloseTo(25, 0);
    expect(damageFor(1_000, 'punch')).toBeLessThan(damageFor(1_000, 'kick'));
    expect(damageFor(1_000, 'kick')).toBeLessThan(damageFor(1_000, 'special'));
    const weighted = ATTACK_KINDS.reduce((sum, k) => sum + ATTACK_WEIGHTS[k] * KIND_MULTIPLIER[k], 0) / 10;
    expect(weighted).toBeCloseTo(1, 10);
    expect(damageFor(5, 'special')).toBe(MAX_HP / 4);
    expect(damageFor(1e9, 'punch')).toBe(1);
  });
});

describe('attackKindFor', () => {
  it('is deterministic and roughly 60% punch, 30% kick, 10% special', () => {
    for (const pollId of ['p_a', 'p_0eqtgxnb6pw', 'round-12345']) {
      const counts: Record<AttackKind, number> = { punch: 0, kick: 0, special: 0 };
      for (let n = 1; n <= 20_000; n++) counts[attackKindFor(pollId, n)]++;
      expect(counts.punch / 20_000).toBeCloseTo(0.6, 1);
      expect(counts.kick / 20_000).toBeCloseTo(0.3, 1);
      expect(counts.special / 20_000).toBeCloseTo(0.1, 1);
    }
    fc.assert(
      fc.property(fc.string(), fc.nat(), (id, n) => {
        expect(attackKindFor(id, n)).toBe(attackKindFor(id, n));
      }),
    );
  });

  it('differs between polls, so every round has its own rhythm', () => {
    const seq = (id: string) => Array.from({ length: 32 }, (_, i) => attackKindFor(id, i + 1)).join();
    expect(seq('p_1')).not.toBe(seq('p_2'));
  });
});

describe('nextAudience', () => {
  const result = (totalVotes: number, reason: 'ko' | 'timeout' | 'rotate' = 'timeout', ranSec = 60): RoundResult => ({
    pollId: 'p',
    matchup: matchupOf(2, 60),
    votes: {},
    hp: {},
    outcome: { reason, winner: null },
    startedAt: PHASE_MS.intro,
    finishedAt: PHASE_MS.intro + ranSec * 1000,
    totalVotes,
  });

  it('is an integer of at least MIN_AUDIENCE that moves toward what a full round saw', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (prev, votes) => {
        const next = nextAudience(prev, result(votes));
        const p = Math.max(MIN_AUDIENCE, prev);
        expect(Number.isInteger(next)).toBe(true);
        expect(next).toBeGreaterThanOrEqual(MIN_AUDIENCE);
        expect(next).toBeGreaterThanOrEqual(Math.max(MIN_AUDIENCE, Math.min(p, votes)));
        expect(next).toBeLessThanOrEqual(Math.max(p, votes));
      }),
    );
  });

  it('is stable when the crowd is as expected and converges on a new crowd in a few rounds', () => {
    expect(nextAudience(400, result(400))).toBe(400);
    expect(nextAudience(100, result(200))).toBe(130);
    let a = MIN_AUDIENCE;
    for (let i = 0; i < 15; i++) a = nextAudience(a, result(1_000));
    expect(a).toBeGreaterThan(990);
    expect(a).toBeLessThanOrEqual(1_000);
  });

  it('extrapolates a round cut short (at most ×2) and ignores one rotated almost at once', () => {
    // KO after 30 of 60 s with 80 votes: the crowd would have cast 160.
    expect(nextAudience(100, result(80, 'ko', 30))).toBe(118);
    // KO after 6 s: capped at ×2.
    expect(nextAudience(100, result(80, 'ko', 6))).toBe(118);
    expect(nextAudience(100, result(80, 'rotate', 10))).toBe(100);
    expect(nextAudience(100, result(0, 'rotate', 0))).toBe(100);
  });
});
