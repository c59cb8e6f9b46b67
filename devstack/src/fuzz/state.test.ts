import { describe, expect, it } from 'vitest';
import { unexplainedChanges, type RoomState } from './state.ts';

const live: RoomState = {
  pollId: 'p_1',
  phase: 'live',
  seq: 7,
  votes: '{"A":1}',
  hp: '{"A":100,"B":90}',
  hitCount: 1,
  previous: null,
  fighters: null,
  upNext: 'Zorg vs Blip',
  queue: '[1]',
  streams: null,
  screens: null,
  shoutouts: null,
  chatPaused: null,
};

describe('what the fuzz counts as a change of state', () => {
  it('a new seq within a live round is a change, unless the round\'s fighter cards arrived with it', () => {
    expect(unexplainedChanges(live, { ...live, seq: 8 })).toEqual(['seq: 7 → 8']);
    expect(unexplainedChanges(live, { ...live, seq: 8, fighters: '{"A":{"tier":"N"}}' })).toEqual([]);
    // Cards arriving explain one seq step, not more, and nothing else.
    expect(unexplainedChanges(live, { ...live, seq: 9, fighters: '{"A":{"tier":"N"}}' })).toEqual(['seq: 7 → 9']);
    expect(unexplainedChanges(live, { ...live, seq: 8, fighters: '{}', votes: '{"A":2}' })).toEqual(['votes: {"A":1} → {"A":2}']);
    expect(unexplainedChanges(live, { ...live, seq: 8, fighters: '{}', queue: '[]' })).toEqual(['queue: [1] → []']);
  });

  it("the upkeep's own work explains one seq each: the queue filled up to its target, the tournament's field read", () => {
    // Appended to a queue under the target: the upkeep's planning.
    expect(unexplainedChanges(live, { ...live, seq: 8, queue: '[1,2]' })).toEqual([]);
    // Past the target, reordered or shrunk: a request's doing.
    expect(unexplainedChanges(live, { ...live, seq: 8, queue: '[1,2,3]' })).toEqual(['seq: 7 → 8', 'queue: [1] → [1,2,3]']);
    expect(unexplainedChanges(live, { ...live, seq: 8, queue: '[2,1]' })).toEqual(['seq: 7 → 8', 'queue: [1] → [2,1]']);
    // The first quarter-final announced with the queue untouched: the field read.
    expect(unexplainedChanges(live, { ...live, seq: 8, upNext: 'Seed 1 vs Seed 8' })).toEqual([]);
    // Cards, a fill and nothing else: two seqs, not three.
    expect(unexplainedChanges(live, { ...live, seq: 9, fighters: '{}', queue: '[1,2]' })).toEqual([]);
    expect(unexplainedChanges(live, { ...live, seq: 10, fighters: '{}', queue: '[1,2]' })).toEqual(['seq: 7 → 10']);
  });
});
