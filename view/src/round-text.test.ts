import { describe, expect, it } from 'vitest';
import { MAX_HP, PHASE_MS } from '@stream-fighter/core/constants';
import { reduce, startRound } from '@stream-fighter/core/round';
import { matchupOf } from '@stream-fighter/core/fixtures/matchups';
import { unanimous, votes } from '@stream-fighter/core/fixtures/round-play';
import { clockLeftMs, clockText, figures, nameOf, outcomeText, stageName, totalVotesText, votesAndShareText, votesText } from './round-text.ts';

const T0 = 1_800_000_000_000;
const upcoming = startRound({ pollId: 'p1', matchup: matchupOf(2, 60), now: T0, audience: 100 });
const live = reduce(upcoming, { type: 'tick' }, upcoming.liveAt).state;

describe('round text', () => {
  it('counts votes in words, with their share', () => {
    expect(votesText(1, 'en')).toBe('1 vote');
    expect(votesText(0, 'en')).toBe('0 votes');
    expect(votesText(12345, 'es')).toBe('12.345 votos');
    expect(votesAndShareText(3, 60, 'en')).toBe('3 votes · 60%');
    expect(votesAndShareText(1, 50, 'es')).toBe('1 voto · 50 %');
    expect(totalVotesText(1, 'en')).toBe('1 vote in total');
    expect(totalVotesText(2000, 'en')).toBe('2,000 votes in total');
  });

  it('runs the clock to the start, then to the end, on the time it is given', () => {
    expect(clockText(upcoming, T0 + 1_000, 'en')).toBe('Starting in 0:04');
    expect(clockText(live, live.liveAt + 1_500, 'en')).toBe('0:59 left');
    expect(clockText(live, live.liveAt, 'es')).toBe('Quedan 1:00');
  });

  it('keeps the time that was left when a round ended by KO or rotate, through the results', () => {
    expect(clockLeftMs(upcoming, T0 + 1_000)).toBe(60_000);
    expect(clockLeftMs(live, live.liveAt + 1_500)).toBe(58_500);
    // A KO with 0:06 on the clock: the clock stays at 0:06, not 0:00 (which would read as a time-out).
    const koAt = live.endsAt - 6_000;
    const ko = reduce(live, unanimous('A', 500), koAt).state;
    expect(ko.phase).toBe('finished');
    expect(clockLeftMs(ko, koAt + 2_000)).toBe(6_000);
    const results = reduce(ko, { type: 'tick' }, koAt + PHASE_MS.finish + 1).state;
    expect(results.phase).toBe('results');
    expect(clockLeftMs(results, koAt + PHASE_MS.finish + 5_000)).toBe(6_000);
    const rotated = reduce(live, { type: 'rotate' }, live.liveAt + 6_000).state;
    expect(rotated.outcome?.reason).toBe('rotate');
    expect(clockLeftMs(rotated, rotated.phaseAt + 3_000)).toBe(54_000);
    // A room with its own phase lengths: the results card still knows when the round stopped.
    const quick = { intro: 1_000, finish: 500, results: 1_000 };
    const quickLive = reduce(startRound({ pollId: 'p2', matchup: matchupOf(2, 60), now: T0, audience: 100, phaseMs: quick }), { type: 'tick' }, T0 + 1_000).state;
    const quickKo = reduce(quickLive, unanimous('A', 500), quickLive.endsAt - 6_000).state;
    const quickResults = reduce(quickKo, { type: 'tick' }, quickKo.phaseAt + quick.finish).state;
    expect(quickResults.phase).toBe('results');
    expect(clockLeftMs(quickResults, quickResults.phaseAt + 200)).toBe(6_000);
    const timeout = reduce(live, { type: 'tick' }, live.endsAt + 10).state;
    expect(clockLeftMs(timeout, live.endsAt + 2_000)).toBe(0);
  });

  it('says how a round ended', () => {
    const ko = reduce(live, unanimous('A', 500), live.liveAt + 1).state;
    expect(ko.outcome).toEqual({ reason: 'ko', winner: 'A' });
    expect(clockText(ko, ko.phaseAt, 'en')).toBe('K.O.! Fighter A wins!');
    expect(outcomeText(ko, 'es')).toBe('¡K.O.! ¡Gana Fighter A!');
    const tie = reduce(live, { type: 'rotate' }, live.liveAt + 1).state;
    expect(outcomeText(tie, 'en')).toBe('Draw!');
    expect(outcomeText(live, 'en')).toBe('Round over');
  });

  it('gives every figure of every option, as numbers and as text', () => {
    const hit = reduce(live, votes('A', 'A', 'B'), live.liveAt + 1).state;
    const [a, b] = figures(hit, 'en');
    expect(a).toMatchObject({ id: 'A', votes: 2, sharePct: 67, votesText: '2 votes · 67%' });
    expect(b).toMatchObject({ id: 'B', votes: 1, sharePct: 33, votesText: '1 vote · 33%' });
    expect(a!.hp).toBe(hit.hp.A);
    expect(b!.hp).toBeLessThan(MAX_HP);
    expect(b!.hpText).toBe(`HP ${b!.hp.toLocaleString('en-US')} · ${b!.hpPct}%`);
  });

  it('names options and stages', () => {
    expect(nameOf(live, 'B')).toBe('Fighter B');
    expect(nameOf(live, null)).toBe('');
    expect(stageName('dojo', 'es')).not.toBe('');
  });
});
