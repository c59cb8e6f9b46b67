/**
 * The room's ballot box: counts each voter once per round. What it can refuse on its own it refuses at once; the
 * rest joins the next batch (batcher.ts), which checks the rate limits of all its votes in one Redis round trip
 * (admission.ts) and then, in one synchronous step, checks each vote again, inserts it and applies it to the round,
 * so the inserts and the new state commit together.
 */
import { PHASE_MS, canVote, timeLeftMs, type OptionId, type RoundState, type VoteAccepted } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { markVoted, rateLimitBatch, type Verdict } from './admission.ts';
import { Batcher } from './batcher.ts';
import type { RoundRunner } from './round-runner.ts';
import type { RoomStorage } from './storage.ts';

export interface VoteInput {
  voterId: string;
  option: string;
  pollId?: string | undefined;
  /**
   * The keyed hash of the caller's address prefix (http/address.ts), for the per-address limits; absent for a
   * vote relayed by an authenticated bridge, whose platform accounts are not behind one address.
   */
  address?: string | undefined;
  /** The session was minted without proof of work (the no-JavaScript form): the stricter per-address cap applies. */
  nojs?: boolean | undefined;
}

/** The hit one vote landed in a fight, as the answer to it names it (the move by the attacker's name for it). */
export type LandedHit = NonNullable<VoteAccepted['hit']>;

export type VoteOutcome =
  | { ok: true; pollId: string; option: OptionId; tally: RoundState['votes']; hp: RoundState['hp']; seq: number; hit?: LandedHit }
  | { ok: false; code: 'already-voted'; pollId: string; option: string }
  | { ok: false; code: 'rate-limited'; pollId: string; retryAfterSec: number }
  | { ok: false; code: 'address-limit'; pollId: string; cap: number; retryAfterSec: number }
  | { ok: false; code: 'stale-poll' | 'not-live' | 'unknown-option'; pollId: string; message: string }
  | { ok: false; code: 'banned'; pollId: string; message: string };

type Ballot = VoteInput & { pollId: string };

/** A vote as a counting shard sends it: stamped with when the shard took it (ms, its clock). */
export type ShardVote = VoteInput & { castAt: number };

const BANNED = 'this voter was banned by an operator';

export interface BallotBoxContext {
  store: RoomStorage;
  config: AppConfig;
  room: string;
  now: () => number;
  runner: RoundRunner;
  /** Voters an operator banned (shoutout-desk.ts). */
  isBanned: (voterId: string) => boolean;
  /** Work that may finish after the answer (the voted markers in Redis). */
  waitUntil: (work: Promise<unknown>) => void;
  /** Told of every vote the room answered and every one that failed inside it (the alerts: alerts/vote-watch.ts). */
  watch?: { answered(): void; failed(error: unknown): void };
}

export class BallotBox {
  private readonly c: BallotBoxContext;
  private readonly batcher = new Batcher<Ballot, VoteOutcome>((batch) => this.admit(batch));

  constructor(c: BallotBoxContext) {
    this.c = c;
  }

  async vote(input: VoteInput): Promise<VoteOutcome> {
    try {
      const outcome = await this.decide(input);
      this.c.watch?.answered();
      return outcome;
    } catch (e) {
      this.c.watch?.failed(e);
      throw e;
    }
  }

  private async decide(input: VoteInput): Promise<VoteOutcome> {
    const { runner } = this.c;
    runner.advance();
    // A vote without a poll id is for the poll live now, not whichever one is live when its batch commits.
    const pollId = input.pollId ?? runner.round.pollId;
    if (this.c.isBanned(input.voterId)) return { ok: false, code: 'banned', pollId, message: BANNED };
    return this.refusal(pollId, input.option) ?? this.batcher.submit({ ...input, pollId });
  }

  /**
   * An erasure request: the voter's rows in the votes table go, except their vote in the live round, kept until it
   * ends. The tallies are anonymous counts and stay. `polls` are those whose voted markers may still be in Redis
   * but are not archived yet.
   */
  forget(voterId: string): { votes: number; keptUntilRoundEnds: number; polls: string[] } {
    const { runner, store } = this.c;
    runner.advance();
    const polls = [runner.round.pollId, runner.previous?.pollId, ...store.outbox().map((r) => r.pollId)].filter((p): p is string => Boolean(p));
    const rows = store.forgetVoter(voterId, runner.round.pollId);
    return { votes: rows.deleted, keptUntilRoundEnds: rows.kept, polls: [...new Set(polls)] };
  }

  private async admit(batch: Ballot[]): Promise<VoteOutcome[]> {
    const verdicts = await rateLimitBatch(this.c.config, this.c.room, batch);
    return this.count(batch, verdicts);
  }

  /**
   * A counting shard's batch (vote-shard.ts): rate-limited and deduped there, checked and counted here exactly as
   * the room's own batches are, in one synchronous step. A vote without a poll id is for the poll live when it was
   * cast, as on the direct path: the shard stamps when (`castAt`, its clock), so a vote that waited in a flush sent
   * again after a restart, cast before the round live now began, is refused rather than counted in a fight its
   * voter never saw, and one cast during this round's intro gets the direct path's answer, not live, even when its
   * flush lands once the round is live. Its age is measured on the two objects' clocks and placed on the room's
   * (tests move the room's).
   */
  countShardBatch(votes: ShardVote[]): VoteOutcome[] {
    const { runner, now } = this.c;
    runner.advance();
    const round = runner.round;
    const [roomNow, wallNow] = [now(), Date.now()];
    // This round began with its intro: a vote cast before that was cast in an earlier one.
    const began = round.liveAt - (round.phaseMs ?? PHASE_MS).intro;
    const refusedByTime = (v: ShardVote): VoteOutcome | null => {
      // A start still ahead of the room's clock happens only when a test sets the clock back: the usual checks.
      if (began > roomNow) return null;
      const castAt = roomNow - Math.max(0, wallNow - v.castAt);
      if (!v.pollId && castAt < began) return { ok: false, code: 'stale-poll', pollId: round.pollId, message: `this vote was cast in an earlier round; the current poll is ${round.pollId}` };
      // Cast in this round's intro, as the direct path would have answered then, however late its flush arrives.
      if ((v.pollId ?? round.pollId) === round.pollId && castAt < round.liveAt) return { ok: false, code: 'not-live', pollId: round.pollId, message: 'voting had not opened yet when this vote was cast' };
      return null;
    };
    try {
      const early = votes.map(refusedByTime);
      const counted = votes.filter((_, i) => !early[i]);
      const outcomes = this.count(counted.map((v) => ({ ...v, pollId: v.pollId ?? round.pollId })), counted.map(() => ({ ok: true })));
      let k = 0;
      const all = votes.map((_, i): VoteOutcome => early[i] ?? outcomes[k++]!);
      for (let i = 0; i < votes.length; i++) this.c.watch?.answered();
      return all;
    } catch (e) {
      this.c.watch?.failed(e);
      throw e;
    }
  }

  /**
   * Checks each vote against the round as it is now and counts the ones that pass. Synchronous: the inserts and
   * the new state commit together. The round may have moved on while the batch waited for its rate limits.
   */
  private count(batch: Ballot[], verdicts: Verdict[]): VoteOutcome[] {
    const { store, config, room, now, runner } = this.c;
    runner.advance();
    const before = runner.round;
    const counted: Array<{ i: number; voterId: string; option: OptionId; hit: LandedHit | null }> = [];
    const outcomes = batch.map((v, i): VoteOutcome | null => {
      const verdict = verdicts[i]!;
      if (!verdict.ok) return { ok: false, code: 'rate-limited', pollId: v.pollId, retryAfterSec: verdict.retryAfterSec };
      // Again here: an operator may have banned the voter while the vote waited.
      if (this.c.isBanned(v.voterId)) return { ok: false, code: 'banned', pollId: v.pollId, message: BANNED };
      const refused = this.refusal(v.pollId, v.option);
      if (refused) return refused;
      const already = store.voteOf(v.pollId, v.voterId);
      if (already !== null) return { ok: false, code: 'already-voted', pollId: v.pollId, option: already };
      const capped = this.addressCap(v);
      if (capped) return capped;
      store.recordVote(v.pollId, v.voterId, v.option, now());
      if (v.address) store.countAddressVote(v.pollId, v.address, v.nojs === true);
      // One at a time: a KO part-way through the batch closes the round for the votes after it.
      const option = v.option as OptionId;
      const prior = runner.round;
      runner.step({ type: 'votes', votes: [{ option }] });
      counted.push({ i, voterId: v.voterId, option, hit: landedHit(prior, runner.round) });
      return null;
    });
    if (runner.round !== before) runner.changed();
    const pollId = before.pollId;
    this.c.waitUntil(markVoted(config, room, counted.map((c) => ({ pollId, voterId: c.voterId, option: c.option }))));
    const accepted = { ok: true as const, pollId, tally: runner.round.votes, hp: runner.round.hp, seq: runner.seq };
    for (const c of counted) outcomes[c.i] = { ...accepted, option: c.option, ...(c.hit ? { hit: c.hit } : {}) };
    return outcomes as VoteOutcome[];
  }

  /**
   * The per-round cap of the vote's address, counted here in the room's own SQLite so it is exact and needs no
   * Redis: every vote of a round passes through this one object. Sessions minted without proof of work (the
   * no-JavaScript form) have a stricter cap of their own, inside the address's total.
   */
  private addressCap(v: Ballot): VoteOutcome | null {
    if (!v.address) return null;
    const used = this.c.store.addressVotes(v.pollId, v.address);
    const { VOTES_PER_ADDRESS_PER_ROUND: total, VOTES_PER_ADDRESS_PER_ROUND_NOJS: nojs } = this.c.config;
    const cap = used.total >= total ? total : v.nojs && used.nojs >= nojs ? nojs : null;
    if (cap === null) return null;
    const retryAfterSec = Math.max(1, Math.ceil(timeLeftMs(this.c.runner.round, this.c.now()) / 1000));
    return { ok: false, code: 'address-limit', pollId: v.pollId, cap, retryAfterSec };
  }

  /** Why this vote cannot count in the round as it is now, or null when it can. */
  private refusal(pollId: string, option: string): VoteOutcome | null {
    const { round } = this.c.runner;
    if (pollId !== round.pollId) {
      return { ok: false, code: 'stale-poll', pollId: round.pollId, message: `poll ${pollId} is over; the current poll is ${round.pollId}` };
    }
    if (round.phase !== 'live') {
      return { ok: false, code: 'not-live', pollId: round.pollId, message: `voting is closed while the round is ${round.phase}` };
    }
    if (!canVote(round, option)) {
      return { ok: false, code: 'unknown-option', pollId: round.pollId, message: `option ${option} is not in this poll` };
    }
    return null;
  }
}

/**
 * The hit the one vote just stepped through the round landed: in a fight every counted vote is one hit (hitCount
 * grows by one, and the newest of the recent hits is it); a plain poll, or a vote the round ignored, lands none.
 */
function landedHit(before: RoundState, after: RoundState): LandedHit | null {
  if (after.pollId !== before.pollId || after.hitCount !== before.hitCount + 1) return null;
  const h = after.hits[after.hits.length - 1];
  if (!h || h.n !== after.hitCount) return null;
  const move = after.matchup.options.find((o) => o.id === h.attacker)?.fighter.moves[h.kind] ?? h.kind;
  return { n: h.n, attacker: h.attacker, target: h.target, kind: h.kind, damage: h.damage, move };
}
