import { describe, expect, it } from 'vitest';
import { CHAT_FEED_MAX } from '@stream-fighter/core';
import { ChatFeed, NAMES_PER_SECOND, type FeedCandidate } from './chat-feed.ts';

const voter = (name: string, pollId = 'p1'): FeedCandidate => ({ voterId: `twitch:${name}`, name, option: 'A', pollId });
const names = (feed: ChatFeed, pollId = 'p1') => feed.entries(pollId).map((e) => e.name);

describe('the chat feed', () => {
  it(`takes at most ${NAMES_PER_SECOND} names in any second and shows the latest ${CHAT_FEED_MAX}`, () => {
    const feed = new ChatFeed({ blocklist: [], isBanned: () => false });
    expect(feed.offer(['a', 'b', 'c', 'd'].map((n) => voter(n)), 1_000)).toBe(true);
    expect(names(feed)).toEqual(['a', 'b', 'c']);
    // Still inside the second that began at 1 000: nothing.
    expect(feed.offer([voter('e')], 1_999)).toBe(false);
    feed.offer(['f', 'g'].map((n) => voter(n)), 2_000);
    feed.offer(['h', 'i'].map((n) => voter(n)), 2_500);
    expect(names(feed)).toEqual(['b', 'c', 'f', 'g', 'h']);
    feed.offer([voter('j')], 2_999);
    expect(names(feed)).toEqual(['b', 'c', 'f', 'g', 'h']);
    feed.offer([voter('k'), voter('l')], 3_000);
    expect(names(feed)).toEqual(['f', 'g', 'h', 'k', 'l']);
    expect(feed.entries('p1')[4]).toEqual({ name: 'l', option: 'A', at: 3_000 });
  });

  it('shows only names the shout-out filter passes (its list and SHOUTOUT_BLOCKLIST) of voters not banned; refused ones take no place', () => {
    const feed = new ChatFeed({ blocklist: ['grief'], isBanned: (id) => id === 'twitch:troll' });
    feed.offer(['n4zi_fan', 'evil . com', 'ｅｖｉｌ．ｃｏｍ', '@mention', 'griefer', 'troll', 'x\u200by', '   ', ' amy '].map((n) => voter(n)), 0);
    expect(names(feed)).toEqual(['amy']);
  });

  it('holds only the live round\'s voters, and drops a voter at once', () => {
    const feed = new ChatFeed({ blocklist: [], isBanned: () => false });
    feed.offer([voter('old', 'p1')], 0);
    feed.offer([voter('new', 'p2'), voter('two', 'p2')], 5_000);
    expect(names(feed, 'p2')).toEqual(['new', 'two']);
    expect(feed.drop('twitch:new')).toBe(true);
    expect(feed.drop('twitch:new')).toBe(false);
    expect(names(feed, 'p2')).toEqual(['two']);
  });

  it('a burst of 5 000 screens only the names it takes', () => {
    let screened = 0;
    const feed = new ChatFeed({ blocklist: [], isBanned: () => (screened++, false) });
    feed.offer(Array.from({ length: 5_000 }, (_, i) => voter(`v${i}`)), 0);
    expect(screened).toBe(NAMES_PER_SECOND);
  });
});
