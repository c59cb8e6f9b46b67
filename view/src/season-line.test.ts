import { describe, expect, it } from 'vitest';
import { cyclePosition, initialCycle, reduceCycle } from '@stream-fighter/core';
import type { CyclePositionView, CycleState } from '@stream-fighter/core';
import { CyclePositionView as PositionSchema } from '@stream-fighter/core/season/season-view';
import { bracketRoundName, seasonLine } from './season-line.ts';

const line = (p: CyclePositionView, lang: 'en' | 'es' = 'en') => seasonLine(PositionSchema.parse(p), lang);

describe("the season's line", () => {
  it('counts the matches until the tournament, one in the singular', () => {
    expect(line({ stage: 'matchmaking', played: 13, total: 20, untilTournament: 7 })).toBe('7 matches until the tournament');
    expect(line({ stage: 'matchmaking', played: 19, total: 20, untilTournament: 1 })).toBe('1 match until the tournament');
    expect(line({ stage: 'matchmaking', played: 20, total: 20, untilTournament: 0 })).toBe('The tournament is next');
    expect(line({ stage: 'matchmaking', played: 13, total: 20, untilTournament: 7 }, 'es')).toBe('Faltan 7 combates para el torneo');
    expect(line({ stage: 'matchmaking', played: 19, total: 20, untilTournament: 1 }, 'es')).toBe('Falta 1 combate para el torneo');
  });

  it('writes big numbers as the language does (formatNumber)', () => {
    expect(line({ stage: 'matchmaking', played: 0, total: 12_345, untilTournament: 12_345 })).toBe('12,345 matches until the tournament');
    expect(line({ stage: 'matchmaking', played: 0, total: 12_345, untilTournament: 12_345 }, 'es')).toBe('Faltan 12.345 combates para el torneo');
    expect(line({ stage: 'tournament', season: 1_234, round: 'final', match: 1, of: 1, overall: 7 }, 'es')).toBe('Temporada 1234 · Final');
    expect(line({ stage: 'exhibition', played: 999, total: 1_000, remaining: 1 })).toBe('Exhibition 1,000 of 1,000');
  });

  it('says when the tournament is being seeded', () => {
    expect(line({ stage: 'seeding', season: 4 })).toBe('Seeding the tournament');
    expect(line({ stage: 'seeding', season: 4 }, 'es')).toBe('Preparando el cuadro del torneo');
  });

  it('names the season and the tournament match', () => {
    expect(line({ stage: 'tournament', season: 3, round: 'quarter-final', match: 2, of: 4, overall: 2 })).toBe('Season 3 · Quarter-final 2 of 4');
    expect(line({ stage: 'tournament', season: 3, round: 'semi-final', match: 1, of: 2, overall: 5 })).toBe('Season 3 · Semi-final 1 of 2');
    expect(line({ stage: 'tournament', season: 3, round: 'final', match: 1, of: 1, overall: 7 })).toBe('Season 3 · Final');
    expect(line({ stage: 'tournament', season: 3, round: 'quarter-final', match: 2, of: 4, overall: 2 }, 'es')).toBe('Temporada 3 · Cuartos de final 2 de 4');
    expect(bracketRoundName('semi-final', 2, 2, 'es')).toBe('Semifinal 2 de 2');
  });

  it('numbers the exhibition under way from the ones played, never past the last', () => {
    expect(line({ stage: 'exhibition', played: 1, total: 5, remaining: 4 })).toBe('Exhibition 2 of 5');
    expect(line({ stage: 'exhibition', played: 0, total: 5, remaining: 5 }, 'es')).toBe('Exhibición 1 de 5');
    expect(line({ stage: 'exhibition', played: 5, total: 5, remaining: 0 })).toBe('Exhibition 5 of 5');
  });

  it("reads core's positions through a whole cycle: every stage in words, the count going down", () => {
    const lengths = { matchmakingRounds: 3, exhibitions: 2 };
    const seen: string[] = [];
    let state: CycleState = initialCycle();
    const show = () => seen.push(seasonLine(cyclePosition(state, lengths), 'en'));
    const ids = Array.from({ length: 8 }, (_, i) => `f${i + 1}`);
    let n = 0;
    const finish = (a: string, b: string) => {
      state = reduceCycle(state, { type: 'finished', pollId: `p${++n}`, at: n, fighters: { A: a, B: b }, round: { outcome: { winner: 'A' }, hp: { A: 1, B: 0 }, votes: { A: 2, B: 1 } } }, lengths);
    };
    show();
    for (let i = 0; i < 3; i++) {
      finish('x', 'y');
      show();
    }
    state = reduceCycle(state, { type: 'seed', seeds: ids }, lengths);
    show();
    // Seeds 1v8, 4v5, 2v7, 3v6, then the winners (side A every time): 1v4, 2v3, 1v2.
    for (const [a, b] of [['f1', 'f8'], ['f4', 'f5'], ['f2', 'f7'], ['f3', 'f6'], ['f1', 'f4'], ['f2', 'f3'], ['f1', 'f2']] as const) {
      finish(a, b);
      show();
    }
    for (let i = 0; i < 2; i++) {
      finish('x', 'y');
      show();
    }
    expect(seen).toEqual([
      '3 matches until the tournament',
      '2 matches until the tournament',
      '1 match until the tournament',
      'Seeding the tournament',
      'Season 1 · Quarter-final 1 of 4',
      'Season 1 · Quarter-final 2 of 4',
      'Season 1 · Quarter-final 3 of 4',
      'Season 1 · Quarter-final 4 of 4',
      'Season 1 · Semi-final 1 of 2',
      'Season 1 · Semi-final 2 of 2',
      'Season 1 · Final',
      'Exhibition 1 of 2',
      'Exhibition 2 of 2',
      '3 matches until the tournament',
    ]);
  });
});
