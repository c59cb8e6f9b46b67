import { describe, expect, it } from 'vitest';
import { reduce, startRound } from '@stream-fighter/core/round';
import { matchupOf } from '@stream-fighter/core/fixtures/matchups';
import { votes } from '@stream-fighter/core/fixtures/round-play';
import { buttonState, renderFight, totalText, type FightState } from './fight-panel.ts';

const T0 = 1_800_000_000_000;
const upcoming = startRound({ pollId: 'p1', matchup: matchupOf(2, 60), now: T0, audience: 100 });
const live = reduce(upcoming, { type: 'tick' }, upcoming.liveAt).state;
const state = (over: Partial<FightState> = {}): FightState => ({ round: live, previous: null, upNext: null, myVote: null, ...over });

describe('the fight panel', () => {
  it('opens the buttons while the round is live and the voter has not voted', () => {
    expect(buttonState(state(), 'A', 'en')).toEqual({ disabled: false, label: 'Vote Fighter A', pressed: false });
    expect(buttonState(state({ round: upcoming }), 'A', 'en').disabled).toBe(true);
    expect(buttonState(state({ myVote: 'B' }), 'B', 'en')).toEqual({ disabled: true, label: 'Your vote ✓', pressed: true });
    expect(buttonState(state({ myVote: 'B' }), 'A', 'en').disabled).toBe(true);
    expect(buttonState(state(), 'A', 'es', 'A')).toEqual({ disabled: true, label: 'Enviando…', pressed: true });
    expect(buttonState(state(), 'B', 'en', 'A').disabled).toBe(true);
  });

  it('renders a form that votes without JavaScript, with every number as text', () => {
    const round = reduce(live, votes('A', 'B', 'B'), live.liveAt + 1).state;
    const html = renderFight(state({ round }), live.liveAt + 1_000, 'en');
    expect(html).toMatch(/<form class="options" id="vote-form" method="post" action="\/api\/vote"/);
    expect(html).toContain('<input type="hidden" name="pollId" value="p1">');
    expect(html).toContain('value="A"');
    expect(html).toContain('2 votes · 67%');
    expect(html).toContain('data-slot="hp-text"');
    expect(html).toContain(totalText(round, 'en'));
    expect(html).toContain('0:59 left');
    expect(html).toContain('<svg');
  });

  it('escapes what the room sends', () => {
    const matchup = matchupOf(3);
    const round = { ...live, matchup: { ...matchup, title: '<b>"Pick" & go</b>', options: matchup.options.map((o) => ({ ...o, fighter: { ...o.fighter, name: `<i>${o.id}</i>` } })) } };
    const html = renderFight(state({ round }), live.liveAt, 'en');
    expect(html).toContain('&lt;b&gt;&quot;Pick&quot; &amp; go&lt;/b&gt;');
    expect(html).toContain('&lt;i&gt;A&lt;/i&gt;');
    expect(html).not.toContain('<i>');
    // A plain poll has no HP to show.
    expect(html).not.toContain('data-slot="hp-text"');
    expect(html).toContain('fight--poll');
  });

  it("shows each fighter's card line once the room has the cards, and none for a poll", () => {
    const card = { tier: 'A', wins: 7, losses: 2, ties: 0, streak: 3, debut: false } as const;
    expect(renderFight(state(), live.liveAt, 'en')).toContain('<p class="opt__card" data-slot="card"></p>');
    const html = renderFight(state({ fighters: { A: card, B: { tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true } } }), live.liveAt, 'en');
    expect(html).toContain('A · 7-2');
    expect(html).toContain('aria-label="A · 7-2, 3 wins in a row"');
    expect(html).toContain('>NEW</span>');
    const poll = startRound({ pollId: 'p2', matchup: matchupOf(3), now: T0, audience: 100 });
    expect(renderFight(state({ round: poll, fighters: { A: card } }), T0, 'en')).not.toContain('opt__card');
  });
});
