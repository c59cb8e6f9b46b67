import { describe, expect, it } from 'vitest';
import type { AttackKind, Hit } from '@stream-fighter/core';
import { burstFor, sparksAt } from './particles.ts';

const hit = (kind: AttackKind, n = 3): Hit => ({ n, attacker: 'A', target: 'B', kind, damage: 1, at: 0 });

describe('sparksAt', () => {
  it('throws the same sparks for the same hit and age, other sparks for another hit', () => {
    expect(sparksAt(hit('kick'), 120)).toEqual(sparksAt(hit('kick'), 120));
    expect(sparksAt(hit('kick', 4), 120)).not.toEqual(sparksAt(hit('kick', 3), 120));
  });

  it('throws more sparks for a big hit, away from the attacker, and lets them fall and fade', () => {
    const big = sparksAt(hit('special'), 100)!;
    const small = sparksAt(hit('punch'), 100)!;
    expect(big.sparks.length).toBeGreaterThan(small.sparks.length * 2);
    for (const q of big.sparks) expect(q.x).toBeGreaterThan(0);
    const early = sparksAt(hit('special'), 50)!;
    const late = sparksAt(hit('special'), 500)!;
    expect(late.alpha).toBeLessThan(early.alpha);
    const meanY = (b: typeof early) => b.sparks.reduce((s, q) => s + q.y, 0) / b.sparks.length;
    expect(meanY(late)).toBeGreaterThan(meanY(early));
    expect(sparksAt(hit('special'), burstFor(hit('special')).lifeMs)).toBeNull();
    expect(sparksAt(hit('punch'), -1)).toBeNull();
  });
});
