/**
 * Chat votes in the room: a batch from the chat bridge goes through the same ballot box as the site's votes
 * (ballot-box.ts: the rate limits, the dedupe insert and the tally in one step), so a chat account is counted once
 * per round exactly as a site session is. What is chat's own is decided here first: the round a line belongs to
 * (its platform timestamp), what the line names (core/src/chat.ts), a paused source, a bridge that does not hold
 * the source's lease (chat-leases.ts: one bridge relays each chat), and the stream's feed.
 */
import {
  DEFAULT_CHAT_BRIDGE,
  parseChatCommand,
  resolveChatCommand,
  type ChatFeedEntry,
  type ChatSourceView,
  type ChatStatusReply,
  type ChatStatusReport,
  type ChatVoteBatch,
  type ChatVoteResult,
} from '@stream-fighter/core';
import type { BallotBox, VoteOutcome } from './ballot-box.ts';
import type { ChatFeed, FeedCandidate } from './chat-feed.ts';
import type { ChatSources, PauseRefusal } from './chat-sources.ts';
import type { RoundRunner } from './round-runner.ts';

export interface ChatDeskContext {
  runner: RoundRunner;
  ballots: BallotBox;
  sources: ChatSources;
  feed: ChatFeed;
  now: () => number;
  /** The feed changed, or chat votes opened or closed: the viewers' snapshot must go out again. */
  fed: () => void;
  /** Chat votes opened: the room must wake by wakeAt() to close them if every source goes quiet. */
  opened: () => void;
}

type Count = Exclude<keyof ChatVoteResult, 'paused' | 'notLeased'>;

/** Where each refusal of the ballot box lands in a chat batch's result. */
const COUNT_OF: Record<Extract<VoteOutcome, { ok: false }>['code'], Count> = {
  'already-voted': 'duplicate',
  'rate-limited': 'limited',
  'address-limit': 'limited',
  // The round ended (a KO earlier in the batch, the clock, the next round) before the vote's turn: never the next fight's.
  'stale-poll': 'stale',
  'not-live': 'stale',
  'unknown-option': 'ignored',
  banned: 'ignored',
};

export class ChatDesk {
  private readonly c: ChatDeskContext;
  /**
   * Whether chat votes were open when last checked: the viewers have been told so. Unknown until the first check
   * since the room woke: hibernated connections may have been told either before it slept.
   */
  private wasOpen: boolean | null = null;

  constructor(c: ChatDeskContext) {
    this.c = c;
  }

  async votes(batch: ChatVoteBatch): Promise<ChatVoteResult> {
    const { runner, ballots, sources, now } = this.c;
    const result: ChatVoteResult = { counted: 0, duplicate: 0, stale: 0, ignored: 0, limited: 0, paused: false };
    // Another bridge relays this chat: a standby's batch counts nothing and keeps nothing open.
    if (!sources.mayRelay(batch.source, batch.bridge ?? DEFAULT_CHAT_BRIDGE, now())) return { ...result, notLeased: true };
    sources.heardFrom(batch.source, now());
    this.recheck();
    if (sources.isPaused(batch.source)) return { ...result, paused: true };
    runner.advance();
    const round = runner.round;
    const options = round.matchup.options.map((o) => ({ id: o.id, name: o.fighter.name }));
    const pending: Array<{ name: string; voterId: string; outcome: Promise<VoteOutcome> }> = [];
    const t = now();
    for (const v of batch.votes) {
      const command = parseChatCommand(v.line);
      if (!command) {
        result.ignored++;
        continue;
      }
      // The round live when the line was sent, or none: a platform clock ahead of ours is taken as now.
      const at = Math.min(v.at, t);
      if (round.phase !== 'live' || at < round.liveAt) {
        result.stale++;
        continue;
      }
      const option = resolveChatCommand(command, options);
      if (!option) {
        result.ignored++;
        continue;
      }
      // All submitted in this turn, so they join one batch of the ballot box (split at its own maximum).
      pending.push({ name: v.name, voterId: v.voter, outcome: ballots.vote({ voterId: v.voter, option, pollId: round.pollId }) });
    }
    const outcomes = await Promise.all(pending.map((p) => p.outcome));
    const counted: FeedCandidate[] = [];
    outcomes.forEach((outcome, i) => {
      const { name, voterId } = pending[i]!;
      if (outcome.ok) counted.push({ voterId, name, option: outcome.option, pollId: outcome.pollId });
      else result[COUNT_OF[outcome.code]]++;
    });
    result.counted = counted.length;
    if (counted.length > 0) sources.counted(batch.source, round.pollId, counted.length, now());
    if (this.c.feed.offer(counted, now())) this.c.fed();
    return result;
  }

  /** A bridge's report: answered with the paused sources and the leases it holds (a bridge without a name: "default"). */
  status(report: ChatStatusReport): ChatStatusReply {
    const leases = this.c.sources.report(report.bridge ?? DEFAULT_CHAT_BRIDGE, report.sources, this.c.now());
    this.recheck();
    return { paused: this.c.sources.paused(), leases };
  }

  list(): ChatSourceView[] {
    this.c.runner.advance();
    return this.c.sources.list(this.c.runner.round.pollId, this.c.now());
  }

  setPaused(source: string, paused: boolean): ChatSourceView | PauseRefusal {
    const out = this.c.sources.setPaused(source, paused, this.c.now());
    if ('refused' in out) return out;
    this.recheck();
    this.c.runner.advance();
    return this.c.sources.view(source, this.c.runner.round.pollId, this.c.now());
  }

  /**
   * Chat votes are open (the snapshot's `chatOpen`): a source not paused said `connected`, or sent votes, within
   * CHAT_SOURCE_STALE_MS. Only then do the stream and the site ask viewers to vote in chat, where someone reads it.
   */
  isOpen(): boolean {
    return this.c.sources.openUntil() > this.c.now();
  }

  /** When chat votes close unless a source is heard from again; never while they are closed. */
  wakeAt(): number {
    const until = this.c.sources.openUntil();
    return until > this.c.now() ? until : Infinity;
  }

  /**
   * After anything that can open or close chat votes, and on the room's alarm (the last source going quiet closes
   * them with no request at all): when they flipped, the snapshot goes out again.
   */
  recheck(): void {
    const open = this.isOpen();
    if (open === this.wasOpen) return;
    this.wasOpen = open;
    this.c.fed();
    if (open) this.c.opened();
  }

  feed(pollId: string): ChatFeedEntry[] {
    return this.c.feed.entries(pollId);
  }

  /** A voter banned or erased: off the stream's feed. */
  forget(voterId: string): void {
    if (this.c.feed.drop(voterId)) this.c.fed();
  }
}
