import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@stream-fighter/core';
import { SeasonResponse, type BracketMatchView, type BracketSideView, type CyclePositionView } from '@stream-fighter/core/season/season-view';
import { translator } from '@stream-fighter/view/words';
import { currentMatchIndex, seasonHtml } from './tournament-view.ts';

const en = translator('en');
const es = translator('es');

/** Seed n's side: ids and names chosen to need escaping and encoding. */
const NAMES = ['Ana <b>&', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal'];
const side = (seed: number): BracketSideView => ({ id: seed === 1 ? 'ana b' : `f${seed}`, name: NAMES[seed - 1]!, seed });

const m = (index: number, round: BracketMatchView['round'], match: number, of: number, a: number | null, b: number | null, won: number | null, by: BracketMatchView['by']): BracketMatchView => ({
  index,
  round,
  match,
  of,
  a: a === null ? null : side(a),
  b: b === null ? null : side(b),
  winner: won === null ? null : side(won).id,
  by,
  pollId: won === null ? null : `p${index}`,
});

/**
 * Season 3, at the second semi-final: the quarter-finals went through on the round's own result (QF1), on votes
 * (QF2, an upset: seed 5), on the seed (QF3) and on HP (QF4); the first semi-final is played, the final waits for
 * the second's winner.
 */
const midTournament = SeasonResponse.parse({
  type: 'season',
  v: PROTOCOL_VERSION,
  position: { stage: 'tournament', season: 3, round: 'semi-final', match: 2, of: 2, overall: 6 },
  bracket: {
    season: 3,
    done: false,
    matches: [
      m(0, 'quarter-final', 1, 4, 1, 8, 1, 'winner'),
      m(1, 'quarter-final', 2, 4, 4, 5, 5, 'votes'),
      m(2, 'quarter-final', 3, 4, 2, 7, 2, 'seed'),
      m(3, 'quarter-final', 4, 4, 3, 6, 3, 'hp'),
      m(4, 'semi-final', 1, 2, 1, 5, 1, 'winner'),
      m(5, 'semi-final', 2, 2, 2, 3, null, null),
      m(6, 'final', 1, 1, 1, null, null, null),
    ],
  },
  champions: [
    { season: 12_345, fighterId: 'f4', name: 'Di', pollId: 'old-2', at: Date.UTC(2026, 0, 2, 12) },
    { season: 1, fighterId: 'f6', name: 'Flo', pollId: 'old-1', at: Date.UTC(2025, 11, 1, 12) },
  ],
  cycle: { matchmakingRounds: 20, exhibitions: 5 },
});

/** Each match's HTML, from its class attribute to the next match (the view marks each with data-index). */
const matches = (html: string): string[] => html.split('<li class="match').slice(1);
const byIndex = (html: string, i: number) => matches(html).find((s) => s.includes(`data-index="${i}"`)) ?? '';

describe('the tournament page', () => {
  it('draws the seven matches in their rounds, with seeds, fighter links and the names escaped', () => {
    const { bracket } = seasonHtml(midTournament, en, 'en');
    expect(bracket).toContain('<h2 id="bracket-h">Season 3</h2>');
    expect(matches(bracket)).toHaveLength(7);
    const round = (r: string) => bracket.split(`<ol class="round round--${r}">`)[1]!.split('<ol class="round ')[0]!;
    expect(round('quarter-final').match(/data-index="\d"/g)).toEqual(['data-index="0"', 'data-index="1"', 'data-index="2"', 'data-index="3"']);
    expect(round('semi-final').match(/data-index="\d"/g)).toEqual(['data-index="4"', 'data-index="5"']);
    expect(round('final').match(/data-index="\d"/g)).toEqual(['data-index="6"']);
    const qf1 = byIndex(bracket, 0);
    expect(qf1).toContain('<p class="match-label">Quarter-final 1 of 4</p>');
    expect(qf1).toContain('<a href="/fighters/ana%20b">Ana &lt;b&gt;&amp;</a>');
    expect(qf1).not.toContain('<b>');
    expect(qf1).toContain('<span class="seed" aria-hidden="true">8</span> <a href="/fighters/f8">Hal</a><span class="sr-only"> (seed 8)</span>');
    // The final is one match: no number; its second side is not known yet.
    expect(byIndex(bracket, 6)).toContain('<p class="match-label">Final</p>');
    expect(byIndex(bracket, 6)).toContain('<li class="side side--tbd">To be decided</li>');
  });

  it('marks the winners and says which step of the tie-break decided, only where one did', () => {
    const { bracket } = seasonHtml(midTournament, en, 'en');
    const winner = (i: number) => /<li class="side side--winner" data-id="([^"]+)"/.exec(byIndex(bracket, i))?.[1];
    const out = (i: number) => /<li class="side side--out" data-id="([^"]+)"/.exec(byIndex(bracket, i))?.[1];
    expect([0, 1, 2, 3, 4].map(winner)).toEqual(['ana b', 'f5', 'f2', 'f3', 'ana b']);
    expect([0, 1, 2, 3, 4].map(out)).toEqual(['f8', 'f4', 'f7', 'f6', 'f5']);
    expect(byIndex(bracket, 1)).toContain('<span class="won"><span aria-hidden="true">✓</span><span class="sr-only">winner</span></span>');
    const note = (i: number) => /<p class="by" data-by="(\w+)">([^<]+)<\/p>/.exec(byIndex(bracket, i))?.slice(1);
    expect(note(0), 'the round itself decided').toBeUndefined();
    expect(note(1)).toEqual(['votes', 'decided by votes']);
    expect(note(2)).toEqual(['seed', 'decided by seed']);
    expect(note(3)).toEqual(['hp', 'decided by HP']);
    expect(note(4)).toBeUndefined();
    // Not played yet: no winner, no loser.
    expect(byIndex(bracket, 5)).not.toMatch(/side--(winner|out)/);
  });

  it('highlights the match being played, and only that one', () => {
    expect(currentMatchIndex(midTournament)).toBe(5);
    const { bracket } = seasonHtml(midTournament, en, 'en');
    expect(bracket.match(/aria-current="true"/g)).toHaveLength(1);
    expect(byIndex(bracket, 5)).toMatch(/^ match--now" data-index="5" aria-current="true">/);
    expect(byIndex(bracket, 5)).toContain('Semi-final 2 of 2 <span class="now">Now</span>');
    // The cycle already in the next season's seeding, or the bracket of another season: nothing is being played in it.
    expect(currentMatchIndex({ ...midTournament, position: { stage: 'seeding', season: 4 } })).toBeNull();
    expect(currentMatchIndex({ ...midTournament, position: { ...midTournament.position, season: 4 } as CyclePositionView })).toBeNull();
    expect(seasonHtml({ ...midTournament, position: { stage: 'seeding', season: 4 } }, en, 'en').bracket).not.toContain('aria-current');
  });

  it('crowns the champion of a finished bracket', () => {
    const done = SeasonResponse.parse({
      ...midTournament,
      position: { stage: 'exhibition', played: 0, total: 5, remaining: 5 },
      bracket: {
        ...midTournament.bracket!,
        done: true,
        matches: [...midTournament.bracket!.matches.slice(0, 5), m(5, 'semi-final', 2, 2, 2, 3, 3, 'winner'), m(6, 'final', 1, 1, 1, 3, 3, 'seed')],
      },
    });
    const { bracket } = seasonHtml(done, en, 'en');
    expect(bracket).toContain('<p class="champion">Champion: <a href="/fighters/f3">Cy</a></p>');
    expect(bracket).not.toContain('aria-current');
    expect(byIndex(bracket, 6)).toContain('decided by seed');
  });

  it('lists past champions newest first, linked, with the shared number format', () => {
    const { champions } = seasonHtml(midTournament, en, 'en');
    expect([...champions.matchAll(/data-season="(\d+)"/g)].map((x) => x[1])).toEqual(['12345', '1']);
    expect(champions).toContain('Season 12,345');
    expect(champions).toContain('<a href="/fighters/f4">Di</a>');
    expect(champions).toContain('2 Jan 2026');
    const spanish = seasonHtml(midTournament, es, 'es');
    expect(spanish.champions).toContain('Temporada 12.345');
    expect(spanish.champions).toContain('2 ene 2026');
    expect(spanish.bracket).toContain('Semifinal 2 de 2 <span class="now">Ahora</span>');
    expect(spanish.bracket).toContain('decidido por cabeza de serie');
    expect(spanish.bracket).toContain('(cabeza de serie 8)');
  });

  it('says so before the first tournament and the first champion', () => {
    const none = seasonHtml({ ...midTournament, position: { stage: 'matchmaking', played: 0, total: 20, untilTournament: 20 }, bracket: null, champions: [] }, en, 'en');
    expect(none.bracket).toBe('<p class="none">No tournament yet.</p>');
    expect(none.champions).toBe('<p class="none">No champion yet.</p>');
  });
});

describe('where the cycle is', () => {
  it('is the line the stream shows (view/season-line.ts), in the page language', () => {
    expect(seasonHtml(midTournament, en, 'en').position).toBe('Season 3 · Semi-final 2 of 2');
    expect(seasonHtml(midTournament, es, 'es').position).toBe('Temporada 3 · Semifinal 2 de 2');
    const matchmaking = { ...midTournament, position: { stage: 'matchmaking', played: 13, total: 20, untilTournament: 7 } as CyclePositionView };
    expect(seasonHtml(matchmaking, en, 'en').position).toBe('7 matches until the tournament');
  });
});
