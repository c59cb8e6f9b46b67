/**
 * The card desk's own rules, without a room: one read per fight, none for a poll, a broadcast only for the round
 * still live, and a read that hangs or fails leaves no cards and one warning.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FighterCard } from '@stream-fighter/core';
import { fightMatchup, pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import type { AppConfig } from '../env.ts';
import { DEBUT_CARD, FighterCardDesk, type CardsContext } from './fighter-cards.ts';

const ACE: FighterCard = { tier: 'S', wins: 14, losses: 3, ties: 0, streak: 4, debut: false };

function desk(read: (name: string) => Promise<FighterCard>, over: Partial<CardsContext> = {}) {
  const work: Promise<unknown>[] = [];
  let current = 'p1';
  const changed = vi.fn();
  const d = new FighterCardDesk({ config: {} as AppConfig, room: 'test', waitUntil: (p) => void work.push(p), currentPollId: () => current, changed, read, ...over });
  return { d, changed, settle: () => Promise.all(work), setCurrent: (id: string) => (current = id) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the fighter card desk', () => {
  it("reads a fight's two cards once, by option, and broadcasts them", async () => {
    const read = vi.fn(async (name: string) => (name === 'Ace' ? ACE : DEBUT_CARD));
    const { d, changed, settle } = desk(read);
    const round = { pollId: 'p1', matchup: fightMatchup('Ace', 'Rookie') };
    d.want(round);
    d.want(round);
    expect(d.of('p1'), 'nothing before the read lands').toBeUndefined();
    await settle();
    expect(d.of('p1')).toEqual({ A: ACE, B: DEBUT_CARD });
    expect(read).toHaveBeenCalledTimes(2);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('reads nothing for a plain poll', async () => {
    const read = vi.fn(async () => ACE);
    const { d, settle } = desk(read);
    d.want({ pollId: 'p1', matchup: pollMatchup(3) });
    await settle();
    expect(read).not.toHaveBeenCalled();
    expect(d.of('p1')).toBeUndefined();
  });

  it('keeps cards that come after their round ended, without a broadcast', async () => {
    const { d, changed, settle, setCurrent } = desk(async () => ACE);
    d.want({ pollId: 'p1', matchup: fightMatchup('Ace', 'Bee') });
    setCurrent('p2');
    await settle();
    expect(d.of('p1')).toEqual({ A: ACE, B: ACE });
    expect(changed).not.toHaveBeenCalled();
  });

  it('gives up on a read past its time or a failed one: no cards, one warning, no retry', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const read = vi.fn(() => new Promise<FighterCard>(() => {}));
    const { d, changed, settle } = desk(read, { timeoutMs: 20 });
    const round = { pollId: 'p1', matchup: fightMatchup('Ace', 'Bee') };
    d.want(round);
    await settle();
    d.want(round);
    await settle();
    expect(d.of('p1')).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(2);
    expect(changed).not.toHaveBeenCalled();
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"fighter-cards.failed"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('timed out after 20 ms');

    const broken = desk(() => Promise.reject(new Error('connection refused')));
    broken.d.want({ pollId: 'p1', matchup: fightMatchup('Ace', 'Bee') });
    await broken.settle();
    expect(broken.d.of('p1')).toBeUndefined();
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('connection refused'))).toHaveLength(1);
  });

  it('forgets all but the last two rounds', async () => {
    const { d, settle } = desk(async () => ACE);
    for (const id of ['p1', 'p2', 'p3']) d.want({ pollId: id, matchup: fightMatchup('Ace', 'Bee') });
    await settle();
    expect(d.of('p1')).toBeUndefined();
    expect(d.of('p2')).toBeDefined();
    expect(d.of('p3')).toBeDefined();
  });
});
