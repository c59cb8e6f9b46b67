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
});
