/**
 * The betting window as the stream sees it: shown while the room takes bets, naming the next match during the
 * results and the round's own fighters during its intro, counting down to the room's close less the stream delay.
 */
import { describe, expect, it } from 'vitest';
import { PHASE_MS, reduce, startRound } from '@stream-fighter/core';
import type { Matchup, RoundOdds, RoundState } from '@stream-fighter/core';
import { fightMatchup, showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { betsView } from './bets.ts';

const next = fightMatchup('Grizzle', 'Volt Vixen');

function results(): RoundState {
  const voted = castVotes(liveRound(showcaseFight(), T0), ['A', 'A', 'B'], T0 + 100);
  return reduce(voted, { type: 'tick' }, voted.endsAt + PHASE_MS.finish + 10).state;
}

const intro = (m: Matchup = next): RoundState => startRound({ pollId: 'poll-2', matchup: m, now: T0, audience: 100 });

const odds = (pollId: string, closesAt: number, over: Partial<RoundOdds> = {}): RoundOdds => ({
  pollId,
  open: true,
  closesAt,
  total: 300,
  sides: [
    { option: 'A', pool: 300, bettors: 2, multiplier: 1 },
    { option: 'B', pool: 0, bettors: 0, multiplier: null },
  ],
  ...over,
});

const names = (m: Matchup | undefined) => m?.options.map((o) => o.fighter.name);

describe('the betting window on stream', () => {
  it("names the next match during the results: the odds are its poll's, not the finished round's", () => {
    const round = results();
    const s = snapshot(round, 5, round.phaseAt, { upNext: next, odds: odds('poll-2', round.phaseAt + 13_000) });
    const v = betsView(s, round.phaseAt + 1_000);
    expect(names(v?.matchup)).toEqual(['Grizzle', 'Volt Vixen']);
    expect(v?.closeLeftMs).toBe(12_000);
  });

  it("names the round's own fighters during its intro", () => {
    const round = intro();
    // upNext by then is the match after: it must not lend its names.
    const s = snapshot(round, 6, T0, { upNext: showcaseFight(), odds: odds(round.pollId, round.liveAt) });
    const v = betsView(s, T0 + 1_000);
    expect(names(v?.matchup)).toEqual(['Grizzle', 'Volt Vixen']);
    expect(v?.closeLeftMs).toBe(round.liveAt - T0 - 1_000);
  });

  it('counts down to the close less the stream delay, and reaches 0 while the room still takes bets', () => {
    const round = intro();
    const closesAt = round.liveAt;
    const at = closesAt - 4_000;
    const plain = betsView(snapshot(round, 6, at, { odds: odds(round.pollId, closesAt) }), at);
    const delayed = betsView(snapshot(round, 6, at, { odds: odds(round.pollId, closesAt, { streamDelayMs: 3_000 }) }), at);
    expect(plain?.closeLeftMs).toBe(4_000);
    expect(delayed?.closeLeftMs).toBe(1_000);
    // Past closesAt - delay with `open` still true: shown, at 0 (the strip says closed).
    const late = betsView(snapshot(round, 7, closesAt - 1_000, { odds: odds(round.pollId, closesAt, { streamDelayMs: 3_000 }) }), closesAt - 1_000);
    expect(late).not.toBeNull();
    expect(late?.closeLeftMs).toBe(0);
  });

  it('is hidden while the room takes no bets, from rooms older than bets, and when the match is unknown', () => {
    const round = results();
    const at = round.phaseAt;
    expect(betsView(snapshot(round, 5, at, { upNext: next, odds: odds('poll-2', at + 5_000, { open: false }) }), at)).toBeNull();
    expect(betsView(snapshot(round, 5, at, { upNext: next }), at)).toBeNull();
    expect(betsView(snapshot(round, 5, at, { upNext: null, odds: odds('poll-2', at + 5_000) }), at)).toBeNull();
  });
});
