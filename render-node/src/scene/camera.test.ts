import { describe, expect, it } from 'vitest';
import type { AttackKind, Hit } from '@stream-fighter/core';
import { SHAKE, cameraOffset } from './camera.ts';
import type { HitEffect } from './model.ts';

const effect = (kind: AttackKind, ageMs: number, n = 7): HitEffect => ({ hit: { n, attacker: 'A', target: 'B', kind, damage: 1, at: 0 } satisfies Hit, ageMs, moveName: '' });
const moved = (o: { x: number; y: number }) => o.x !== 0 || o.y !== 0;

describe('cameraOffset', () => {
  it('shakes right after a special and is still again once the shake is over (1 s later)', () => {
    const during = [10, 40, 80, 120].map((age) => cameraOffset({ effects: [effect('special', age)], koMs: null }));
    expect(during.every(moved), JSON.stringify(during)).toBe(true);
    expect(cameraOffset({ effects: [effect('special', 1000)], koMs: null })).toEqual({ x: 0, y: 0 });
    expect(cameraOffset({ effects: [effect('special', SHAKE.special.ms)], koMs: null })).toEqual({ x: 0, y: 0 });
  });

  it('does not shake for an ordinary hit', () => {
    for (const age of [0, 30, 100]) expect(cameraOffset({ effects: [effect('punch', age), effect('kick', age)], koMs: null })).toEqual({ x: 0, y: 0 });
  });

  it('jolts on a KO, and stays within a bound however many big hits pile up', () => {
    expect(moved(cameraOffset({ effects: [], koMs: 30 }))).toBe(true);
    expect(cameraOffset({ effects: [], koMs: 1000 })).toEqual({ x: 0, y: 0 });
    const pile = cameraOffset({ effects: Array.from({ length: 8 }, (_, i) => effect('special', 5, i)), koMs: 5 });
    expect(Math.max(Math.abs(pile.x), Math.abs(pile.y))).toBeLessThanOrEqual(SHAKE.ko.px);
  });
});
