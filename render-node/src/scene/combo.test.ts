import { describe, expect, it } from 'vitest';
import type { Hit, OptionId } from '@stream-fighter/core';
import { COMBO, comboView, nextCombo } from './combo.ts';
import type { ComboState } from './combo.ts';

let n = 0;
const hit = (attacker: OptionId): Hit => ({ n: ++n, attacker, target: attacker === 'A' ? 'B' : 'A', kind: 'punch', damage: 1, at: 0 });
const feed = (hits: Array<[OptionId, number]>) => hits.reduce<ComboState | null>((s, [a, t]) => nextCombo(s, hit(a), t), null);

describe('combo', () => {
  it('counts three hits by the same fighter within two seconds as a 3-hit combo', () => {
    const s = feed([['A', 0], ['A', 900], ['A', 1800]]);
    expect(comboView(s, 1800)).toEqual({ attacker: 'A', count: 3, ageMs: 0 });
    expect(comboView(nextCombo(s, hit('A'), 2000), 2000)?.count).toBe(4);
  });

  it('shows nothing for two hits, and nothing once the counter has had its time', () => {
    expect(comboView(feed([['A', 0], ['A', 100]]), 100)).toBeNull();
    const s = feed([['A', 0], ['A', 100], ['A', 200]]);
    expect(comboView(s, 200 + COMBO.showMs - 1)).not.toBeNull();
    expect(comboView(s, 200 + COMBO.showMs)).toBeNull();
  });

  it('is broken by a hit from the other side or by a pause', () => {
    expect(comboView(feed([['A', 0], ['A', 100], ['B', 150], ['A', 200]]), 200)).toBeNull();
    expect(comboView(feed([['A', 0], ['A', 100], ['A', 100 + COMBO.gapMs + 1]]), 100 + COMBO.gapMs + 1)).toBeNull();
    expect(comboView(feed([['A', 0], ['B', 10], ['B', 20], ['B', 30]]), 30)).toMatchObject({ attacker: 'B', count: 3 });
  });
});
