import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '@stream-fighter/core/error-codes';
import { VOTE_REFUSALS, voteRefusalText } from './errors.ts';
import { translator } from './words.ts';

const en = translator('en');

describe('vote refusals', () => {
  it('names only codes the API answers with', () => {
    for (const code of Object.keys(VOTE_REFUSALS)) expect(API_ERROR_CODES).toContain(code);
  });

  it('tells the voter what to do, by code', () => {
    expect(voteRefusalText(en, 'stale-poll')).toBe('That round is over. Here is the current one.');
    expect(voteRefusalText(en, 'address-limit')).toBe('Too many votes from here. Wait a few seconds.');
    expect(voteRefusalText(en, 'ticket-invalid')).toBe('This page is too old to vote from. Reload it and vote again.');
    expect(voteRefusalText(translator('es'), 'banned')).toBe('La moderación del directo ha vetado a este votante.');
  });

  it('names the vote the server holds, when it knows it', () => {
    expect(voteRefusalText(en, 'already-voted', 'Iron Mara')).toBe('You already voted in this round (for Iron Mara). One vote per round.');
    expect(voteRefusalText(en, 'already-voted')).toBe('You already voted in this round. One vote per round.');
  });

  it('shows any other code as itself', () => {
    expect(voteRefusalText(en, 'network')).toBe('Your vote did not go through (network). Try again.');
    expect(voteRefusalText(en, 'toString')).toBe('Your vote did not go through (toString). Try again.');
  });
});
