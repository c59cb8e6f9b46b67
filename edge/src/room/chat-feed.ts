/**
 * The stream's feed of chat voters ("gamer42 → GRIZZLE"): the latest few counted chat votes, for the renderers and
 * the overlay. A burst of thousands must not scroll past unreadably, nor put every name a troll picks on air, so
 * the feed takes at most NAMES_PER_SECOND names a second (the rest are counted, just not shown), keeps only the
 * last CHAT_FEED_MAX, and takes only names that pass the shout-out filter (moderation.ts) and whose voter is not
 * banned. Kept in memory: a room that restarts starts an empty feed, which the next votes fill.
 */
import { CHAT_FEED_MAX, type ChatFeedEntry, type OptionId } from '@stream-fighter/core';
import { screenText } from '../moderation.ts';

/** Names the feed takes per second, at most. */
export const NAMES_PER_SECOND = 3;
const WINDOW_MS = 1_000;

export interface FeedCandidate {
  voterId: string;
  name: string;
  option: OptionId;
  pollId: string;
}

export interface ChatFeedRules {
  /** SHOUTOUT_BLOCKLIST: the words refused on top of the filter's own list. */
  blocklist: readonly string[];
  isBanned: (voterId: string) => boolean;
}

export class ChatFeed {
  private shown: Array<FeedCandidate & { at: number }> = [];
  /** When each of the latest admissions happened: the rolling one-second window. */
  private admittedAt: number[] = [];
  private readonly rules: ChatFeedRules;

  constructor(rules: ChatFeedRules) {
    this.rules = rules;
  }

  /** Counted voters, in the order they were counted. True when the feed changed. */
  offer(candidates: readonly FeedCandidate[], now: number): boolean {
    this.admittedAt = this.admittedAt.filter((t) => t > now - WINDOW_MS);
    let changed = false;
    for (const c of candidates) {
      // Full for this second: the rest of a burst is not even screened.
      if (this.admittedAt.length >= NAMES_PER_SECOND) break;
      const name = c.name.trim();
      if (!name || this.rules.isBanned(c.voterId) || !screenText(name, this.rules.blocklist).ok) continue;
      this.admittedAt.push(now);
      this.shown.push({ ...c, name, at: now });
      changed = true;
    }
    if (this.shown.length > CHAT_FEED_MAX) this.shown = this.shown.slice(-CHAT_FEED_MAX);
    return changed;
  }

  /** What the snapshot shows: the live round's entries only (an option id means another fighter in the next round). */
  entries(pollId: string): ChatFeedEntry[] {
    return this.shown.filter((e) => e.pollId === pollId).map(({ name, option, at }) => ({ name, option, at }));
  }

  /** A voter banned or erased: off the feed at once. True when they were on it. */
  drop(voterId: string): boolean {
    const before = this.shown.length;
    this.shown = this.shown.filter((e) => e.voterId !== voterId);
    return this.shown.length !== before;
  }
}
