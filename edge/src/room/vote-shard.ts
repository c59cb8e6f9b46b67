/**
 * A counting shard: with VOTE_SHARDS set, the Worker sends each viewer's vote to one of that many shards, chosen by
 * a hash of the voter id (room-stub.ts, shardStub), instead of to the Arena, so the Arena takes a few flushes a second per
 * shard instead of one request per vote (a Durable Object's soft limit is about 1,000 requests a second). A shard
 * refuses a voter's repeat on its own (shard-book.ts: from memory; the room's SQLite is the authority), checks the rate limits of a whole batch in one Redis round
 * trip (admission.ts), and sends the Arena the rest as one numbered flush, at most one every VOTE_FLUSH_MS. The
 * Arena counts the flush exactly as its own batches (the round's rules, the bans, the per-address caps, KO) and
 * keeps each shard's last number and answer (shard-flushes.ts), so a flush sent twice counts once. A shard has at
 * most one flush on its way at any moment (its batches and its alarm take turns), so its numbers only go up. A vote is answered
 * only once the Arena has applied the flush that carries it: a KO part-way through a burst refuses every vote after it.
 */
import { DurableObject } from 'cloudflare:workers';
import { readConfig, type AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { rateLimitBatch } from './admission.ts';
import type { ShardVote, VoteInput, VoteOutcome } from './ballot-box.ts';
import { Batcher } from './batcher.ts';
import { roomStub } from './room-stub.ts';
import type { FlushAnswer } from './shard-flushes.ts';
import { ShardBook, type PendingFlush } from './shard-book.ts';

/** How often a flush is tried before its voters are told to try again (the flush stays, and goes first next time). */
const FLUSH_ATTEMPTS = 3;
const RETRY_MS = [100, 300];
/** While a flush is left unanswered, the shard's alarm sends it again this often. */
const PENDING_RETRY_MS = 1_000;

/** A vote the edge could not get an answer for (the room did not take its flush): the voter may try again. */
export interface Unavailable {
  ok: false;
  code: 'unavailable';
  retryAfterSec: number;
  message: string;
}

export type AdmissionOutcome = VoteOutcome | Unavailable;

/** The details stay in the log: a voter is told only to try again. */
export const unavailable = (): Unavailable => ({ ok: false, code: 'unavailable', retryAfterSec: 1, message: 'the vote could not be counted just now; try again' });

/** What a shard sends the Arena: its name, the flush's number, the votes in it. */
export interface ShardFlush {
  shard: string;
  seq: number;
  votes: ShardVote[];
}

export class VoteShard extends DurableObject<Env> {
  private readonly config: AppConfig;
  private readonly book: ShardBook;
  private readonly name: string;
  private readonly batcher: Batcher<ShardVote, AdmissionOutcome>;
  /** The last of the shard's turns with the room (a batch, or the alarm's resend): the next waits for it. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
    this.book = new ShardBook(ctx.storage.sql);
    this.name = ctx.id.name ?? ctx.id.toString();
    this.batcher = new Batcher((batch) => this.inTurn(() => this.admit(batch)), 200, this.config.VOTE_FLUSH_MS);
    // A flush left by the last run (it restarted while one was in flight) goes to the Arena before anything else.
    if (this.book.pending()) void ctx.blockConcurrencyWhile(() => ctx.storage.setAlarm(Date.now()));
  }

  async vote(input: VoteInput): Promise<AdmissionOutcome> {
    const known = input.pollId ? this.book.voteOf(input.pollId, input.voterId) : null;
    if (known !== null) return { ok: false, code: 'already-voted', pollId: input.pollId!, option: known };
    return this.batcher.submit({ ...input, castAt: Date.now() });
  }

  forget(voterId: string): boolean {
    return this.book.forget(voterId);
  }

  override async alarm(): Promise<void> {
    await this.inTurn(() => this.settlePending());
  }

  /** Runs `work` after every earlier turn has ended, so no two flushes are ever on their way at once. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => {});
    return run;
  }

  private async admit(batch: ShardVote[]): Promise<AdmissionOutcome[]> {
    // The flush left unanswered goes first: the room applies a shard's flushes in order, one number at a time.
    const left = await this.settlePending().then(
      () => null,
      () => unavailable(),
    );
    if (left) return batch.map(() => left);
    const verdicts = await rateLimitBatch(this.config, this.name, batch);
    const outcomes: Array<AdmissionOutcome | null> = batch.map(() => null);
    // A voter's second vote in the same batch goes too: the Arena counts in order, so it finds the first one.
    const send: number[] = [];
    batch.forEach((v, i) => {
      const verdict = verdicts[i]!;
      const known = v.pollId ? this.book.voteOf(v.pollId, v.voterId) : null;
      if (!verdict.ok) outcomes[i] = { ok: false, code: 'rate-limited', pollId: v.pollId ?? this.book.lastPoll, retryAfterSec: verdict.retryAfterSec };
      else if (known !== null) outcomes[i] = { ok: false, code: 'already-voted', pollId: v.pollId!, option: known };
      else send.push(i);
    });
    // A flush the room did not answer (send() logged why) stays in the book and goes again, before the next one
    // or on the alarm: these votes may yet count, and a voter who tries again is then told so.
    const answers = await this.flush(send.map((i) => batch[i]!)).catch(() => send.map(() => unavailable()));
    send.forEach((i, k) => (outcomes[i] = answers[k]!));
    return outcomes as AdmissionOutcome[];
  }

  private async flush(votes: ShardVote[]): Promise<VoteOutcome[]> {
    if (votes.length === 0) return [];
    const flush = this.book.begin(votes);
    const outcomes = await this.send(flush);
    this.book.settle(flush, outcomes);
    return outcomes;
  }

  /** Sends the flush left unanswered, if there is one; a failure leaves it for the alarm. Call in turn only. */
  private async settlePending(): Promise<void> {
    const pending = this.book.pending();
    if (pending) this.book.settle(pending, await this.send(pending));
  }

  /** The room's answer to the flush. Call in turn only: then nothing else changes the book meanwhile. */
  private async send(flush: PendingFlush): Promise<VoteOutcome[]> {
    const arena = roomStub(this.env, this.config);
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = (await arena.shardFlush({ shard: this.name, seq: flush.seq, votes: flush.votes })) as FlushAnswer;
        if ('outcomes' in answer) return answer.outcomes;
        // The room has applied a later number (or this number with other votes): this flush was never counted and
        // never will be under its number. Numbering goes on after the room's; its voters are told to try again.
        log.error('shard.flush-refused', { shard: this.name, seq: flush.seq, last: answer.last, votes: flush.votes.length });
        this.book.skipTo(flush.seq, answer.last);
        throw new Error(`flush ${flush.seq} refused: the room's last is ${answer.last}`);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        if (attempt >= FLUSH_ATTEMPTS || this.book.pending()?.seq !== flush.seq) {
          log.warn('shard.flush-failed', { shard: this.name, seq: flush.seq, votes: flush.votes.length, attempts: attempt, error });
          if (this.book.pending()) await this.ctx.storage.setAlarm(Date.now() + PENDING_RETRY_MS);
          throw e;
        }
        await new Promise((r) => setTimeout(r, RETRY_MS[attempt - 1]));
      }
    }
  }
}
