import { describe, expect, it } from 'vitest';
import { MAX_HP } from '@stream-fighter/core/constants';
import { hpPct, sharePct, totalVotes } from './shares.ts';

const options = (n: number) => ['A', 'B', 'C', 'D'].slice(0, n).map((id) => ({ id }));

describe('vote shares', () => {
  it('totals the votes of the matchup\'s options only', () => {
    expect(totalVotes({ matchup: { options: options(2) } as never, votes: { A: 3, B: 4 } })).toBe(7);
    expect(totalVotes({ matchup: { options: options(3) } as never, votes: { A: 1, D: 9 } })).toBe(1);
    expect(totalVotes({ matchup: { options: options(2) } as never, votes: {} })).toBe(0);
  });

  it('rounds a share to a whole percent, and is 0 before the first vote', () => {
    expect(sharePct(1, 3)).toBe(33);
    expect(sharePct(2, 3)).toBe(67);
    expect(sharePct(5, 5)).toBe(100);
    expect(sharePct(0, 0)).toBe(0);
  });

  it('gives HP left as a percent of MAX_HP', () => {
    expect(hpPct(MAX_HP)).toBe(100);
    expect(hpPct(MAX_HP / 4)).toBe(25);
    expect(hpPct(0)).toBe(0);
  });
});
