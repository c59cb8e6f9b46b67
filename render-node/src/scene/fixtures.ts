/**
 * Made-up rounds for the tests, the bench and the preview PNGs: real core rules (startRound/reduce), so every
 * snapshot is one the room could have sent.
 */
import { PROTOCOL_VERSION, reduce, startRound } from '@stream-fighter/core';
import type { Matchup, OptionId, RoundState, Shoutout, Snapshot, StageId } from '@stream-fighter/core';

export function fightMatchup(stage: StageId = 'rooftop'): Matchup {
  return {
    title: 'Pizza vs Tacos: the final showdown',
    stage,
    durationSec: 180,
    source: 'builtin',
    headlines: ['Iron Knuckles trained for this by punching pizza dough', 'El Tornado: "The mask stays on"', 'Record crowd tonight on the Neon Rooftop'],
    options: [
      { id: 'A', fighter: { name: 'Iron Knuckles', archetype: 'brawler', color: '#d94a38', tagline: 'Never met a jaw he liked.', moves: { punch: 'Haymaker', kick: 'Boot Stomp', special: 'Knuckle Storm' } } },
      { id: 'B', fighter: { name: 'El Tornado', archetype: 'luchador', color: '#06d6a0', tagline: 'The mask stays on.', moves: { punch: 'Chop de Fuego', kick: 'Dropkick', special: 'Plancha Suprema' } } },
    ],
  };
}

export function pollMatchup(n: 3 | 4 = 4): Matchup {
  const fighters = [
    { name: 'Pineapple', archetype: 'beast', color: '#f2c14e' },
    { name: 'Pepperoni', archetype: 'brawler', color: '#d94a38' },
    { name: 'Mushroom', archetype: 'wizard', color: '#5e3fbe' },
    { name: 'Anchovies', archetype: 'robot', color: '#00b4d8' },
  ] as const;
  return {
    title: 'Best pizza topping?',
    stage: 'arcade',
    durationSec: 120,
    source: 'builtin',
    headlines: ['Pineapple lobby denies everything'],
    options: fighters.slice(0, n).map((f, i) => ({
      id: (['A', 'B', 'C', 'D'] as const)[i]!,
      fighter: { ...f, tagline: 'Tasty.', moves: { punch: 'Jab', kick: 'Kick', special: 'Special' } },
    })),
  };
}

export const T0 = 1_800_000_000_000;

/** A live round (intro already over) at server time `now`. */
export function liveRound(matchup: Matchup, now = T0): RoundState {
  const start = startRound({ pollId: 'poll-1', matchup, now: now - 6_000, audience: 200 });
  return reduce(start, { type: 'tick' }, now).state;
}

export function castVotes(round: RoundState, options: OptionId[], now: number): RoundState {
  return reduce(round, { type: 'votes', votes: options.map((option) => ({ option })) }, now).state;
}

export function snapshot(round: RoundState, seq: number, now: number, extra: Partial<Snapshot> = {}): Snapshot {
  return { type: 'snapshot', v: PROTOCOL_VERSION, seq, room: 'main', now, round, previous: null, upNext: null, shoutouts: [], ...extra };
}

export function shout(user: string, message: string, at: number): Shoutout {
  return { id: `${user}-${at}`, user, message, at };
}

/**
 * A live fight fed by a steady crowd: `next(now)` returns the snapshot the room would send at `now` (10 Hz), with
 * a few votes for each side since the last one. Deterministic.
 */
export function liveFight(opts: { votesPerSnapshot?: number; start?: number } = {}): { next(now: number): Snapshot } {
  let round = liveRound(fightMatchup(), opts.start ?? T0);
  let seq = 1;
  let k = 0;
  const per = opts.votesPerSnapshot ?? 2;
  return {
    next(now) {
      const votes: OptionId[] = [];
      for (let i = 0; i < per; i++) votes.push(k++ % 3 === 0 ? 'B' : 'A');
      round = castVotes(round, votes, now);
      return snapshot(round, seq++, now, { shoutouts: [shout('ana_g', 'Vamos Tornado!! 🌪️', now - 1000)] });
    },
  };
}
