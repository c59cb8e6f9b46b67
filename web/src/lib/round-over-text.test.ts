import { describe, expect, it } from 'vitest';
import type { OptionId, RoundState } from '@stream-fighter/core';
import { castVotes, liveRound, T0 } from '@stream-fighter/core/fixtures/rounds';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { reduce } from '@stream-fighter/core/round';
import { translator } from '@stream-fighter/view/words';
import { roundOverLines } from './round-over-text.ts';

const en = translator('en');
const es = translator('es');
/** A fight with these votes, ended by the operator at T0 + 1 s. */
const ended = (votes: OptionId[], m = fightMatchup()): RoundState => reduce(castVotes(liveRound(m), votes, T0 + 500), { type: 'rotate' }, T0 + 1_000).state;

describe('the results view in words', () => {
  it('says nothing while the round is to come or live', () => {
    const live = liveRound(fightMatchup());
    expect(roundOverLines(en, 'en', { round: live, myVote: 'A', upNext: null })).toBeNull();
  });

  it('names the winner, how the voter\'s pick did and the next match', () => {
    const round = ended(['A', 'A', 'B']);
    const upNext = pollMatchup(3, 'Best snack');
    expect(roundOverLines(en, 'en', { round, myVote: 'A', upNext })).toEqual({
      winner: 'Iron Mara wins!',
      record: null,
      mine: 'You voted for Iron Mara: a winner!',
      next: 'Up next: Best snack',
    });
    expect(roundOverLines(en, 'en', { round, myVote: 'B', upNext: null })).toEqual({
      winner: 'Iron Mara wins!',
      record: null,
      mine: 'You voted for Zip Zero: not this time.',
      next: 'The next fight starts in a moment.',
    });
    expect(roundOverLines(en, 'en', { round, myVote: null, upNext: null })?.mine).toBeNull();
    expect(roundOverLines(es, 'es', { round, myVote: 'A', upNext })?.mine).toBe('Votaste por Iron Mara: ¡ganó!');
  });

  it("says the winner's record with this round counted, from the card it began with", () => {
    const round = ended(['A', 'A', 'B']);
    const fighters = { A: { tier: 'S' as const, wins: 14, losses: 3, ties: 0, streak: 2, debut: false }, B: { tier: 'N' as const, wins: 0, losses: 0, ties: 0, streak: 0, debut: true } };
    expect(roundOverLines(en, 'en', { round, myVote: null, upNext: null, fighters })?.record).toBe('Iron Mara is now 15-3');
    expect(roundOverLines(es, 'es', { round, myVote: null, upNext: null, fighters: { ...fighters, A: { ...fighters.A, wins: 1_233, ties: 2 } } })?.record, 'Spanish groups from five digits').toBe('Iron Mara queda en 1234-3-2');
    // A draw names no winner's record.
    expect(roundOverLines(en, 'en', { round: ended([]), myVote: null, upNext: null, fighters })?.record).toBeNull();
  });

  it('a draw is a draw for everyone who voted', () => {
    const round = ended(['A', 'B'], pollMatchup(3));
    expect(round.outcome?.winner).toBeNull();
    expect(roundOverLines(en, 'en', { round, myVote: 'B', upNext: null })).toMatchObject({ winner: 'Draw!', mine: 'You voted for Ramen: a draw.' });
  });

  it('a KO says so', () => {
    let round = liveRound(fightMatchup());
    for (let i = 0; i < 1_000 && round.phase === 'live'; i++) round = castVotes(round, ['B'], T0 + i);
    expect(round.outcome?.reason).toBe('ko');
    expect(roundOverLines(en, 'en', { round, myVote: 'B', upNext: null })).toMatchObject({ winner: 'K.O.! Zip Zero wins!', mine: 'You voted for Zip Zero: a winner!' });
  });
});
