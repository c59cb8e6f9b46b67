/**
 * The round clock: the live round, its seq and the last result, moved on by the core reducer at the room's time.
 * The effects are carried out here (a finished round goes to the outbox, the next round opens from the queue) and
 * every change is saved in the room's SQLite in the same synchronous step.
 */
import { generateMatchup, nextAudience, PHASE_MS, PHASE_MS_BOUNDS, nextDeadline, pollIdFor, reduce, startRound, type Matchup, type RoundEffect, type RoundEvent, type RoundResult, type RoundState } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import type { RoomStorage } from './storage.ts';
import type { RoomView } from './views.ts';

/** How often a pending archive is retried while Postgres is unreachable. */
const OUTBOX_RETRY_MS = 15_000;
/** With no deadline ahead, the room still wakes this often. */
const IDLE_WAKE_MS = 60_000;
/** The audience a room guesses before it has seen a round. */
const FIRST_AUDIENCE = 5;

export interface RunnerContext {
  store: RoomStorage;
  config: AppConfig;
  room: string;
  /** The room's clock (tests move it). */
  now: () => number;
  /** Something clients see changed and is saved: the room broadcasts it within its window. */
  changed: () => void;
  /**
   * A round just finished: called once, inside the archive step, so what it writes (the bets' payouts,
   * bet-book.ts) commits with the outbox row and the previous result, or not at all.
   */
  finished?: (result: RoundResult) => void;
  /**
   * The season's cycle (season-desk.ts): a tournament's next match goes before the queue, and what is up next while
   * a round is on. Without it, rounds come from the queue and the generator.
   */
  season?: { nextMatchup(): Matchup | null; upNext(live: Matchup): Matchup | null | 'queue' };
}

export class RoundRunner {
  private current: RoundState;
  private counter: number;
  private last: RoundResult | null;
  private readonly c: RunnerContext;

  /** Loads the saved round, or opens the room's first one. */
  constructor(c: RunnerContext) {
    this.c = c;
    this.last = c.store.loadPrevious();
    const saved = c.store.loadRound();
    this.counter = saved?.seq ?? 0;
    if (saved) {
      this.current = saved.round;
    } else {
      this.current = this.openRound(this.nextMatchup(), FIRST_AUDIENCE);
      this.persist();
    }
  }

  get round(): RoundState {
    return this.current;
  }

  /** Goes up with every change clients see, across rounds and restarts. */
  get seq(): number {
    return this.counter;
  }

  get previous(): RoundResult | null {
    return this.last;
  }

  view(): RoomView {
    return { seq: this.counter, round: this.current, previous: this.last, upNext: this.upNextMatchup() };
  }

  /**
   * The round announced as up next, once the live one has finished (its finish card and results): its poll id and
   * matchup are fixed then, so a bet can name it, and `liveAt` is when it will go live (its bets close). Null while
   * a round is upcoming or live.
   */
  upcoming(): { pollId: string; matchup: Matchup; liveAt: number } | null {
    const round = this.current;
    if (round.phase !== 'finished' && round.phase !== 'results') return null;
    const next = this.c.store.loadNext();
    if (!next) return null;
    const phases = round.phaseMs ?? PHASE_MS;
    const resultsEnd = round.phaseAt + phases.results + (round.phase === 'finished' ? phases.finish : 0);
    return { ...next, liveAt: resultsEnd + this.phaseLengths().intro };
  }

  private upNextMatchup(): Matchup | null {
    const reserved = this.c.store.loadNext();
    if (reserved) return reserved.matchup;
    const planned = this.c.season ? this.c.season.upNext(this.current.matchup) : 'queue';
    return planned === 'queue' ? (this.c.store.queue()[0]?.matchup ?? null) : planned;
  }

  /** Applies a tick at the current time and carries out what it asks for. */
  advance(): void {
    this.apply({ type: 'tick' });
  }

  apply(event: RoundEvent): RoundEffect[] {
    const before = this.current;
    const effects = this.step(event);
    if (this.current !== before) this.changed();
    return effects;
  }

  /** One event through the reducer and its effects carried out, without the save and broadcast of `changed`. */
  step(event: RoundEvent): RoundEffect[] {
    const { state, effects } = reduce(this.current, event, this.c.now());
    this.current = state;
    for (const effect of effects) this.perform(effect);
    return effects;
  }

  /** Something clients see changed (the round, the queue, shout-outs): a new seq, saved, and a broadcast. */
  changed(): void {
    this.counter++;
    this.persist();
    this.c.changed();
  }

  /** When the room must wake next: the round's next deadline, sooner while an archive waits in the outbox. */
  wakeAt(): number {
    const now = this.c.now();
    let at = nextDeadline(this.current) ?? now + IDLE_WAKE_MS;
    if (this.c.store.outbox().length > 0) at = Math.min(at, now + OUTBOX_RETRY_MS);
    return Math.max(at, now + 1);
  }

  private perform(effect: RoundEffect): void {
    const { store, room } = this.c;
    if (effect.type === 'archive') {
      // Written to the outbox in the same transaction as the state: the archive can be retried, never lost.
      store.addOutbox(effect.result);
      store.savePrevious(effect.result);
      this.c.finished?.(effect.result);
      this.last = effect.result;
      // After the cycle moved (finished above), so a tournament's next match is the one reserved.
      this.reserveNext();
      log.info('round.finished', { room, pollId: effect.result.pollId, outcome: effect.result.outcome, votes: effect.result.totalVotes });
    } else {
      const audience = this.last ? nextAudience(this.current.audience, this.last) : this.current.audience;
      const finished = this.current.pollId;
      const next = this.c.store.loadNext() ?? { pollId: this.newPollId(), matchup: this.nextMatchup() };
      this.c.store.saveNext(null);
      this.current = this.openRound(next.matchup, audience, next.pollId);
      store.pruneVotes([this.current.pollId, finished]);
      log.info('round.started', { room, pollId: this.current.pollId, title: this.current.matchup.title });
    }
  }

  private openRound(matchup: Matchup, audience: number, pollId: string = this.newPollId()): RoundState {
    const { config, now } = this.c;
    return startRound({ pollId, matchup: { ...matchup, durationSec: matchup.durationSec ?? config.ROUND_SECONDS }, now: now(), audience, phaseMs: this.phaseLengths() });
  }

  /** The poll id folds in the room's seq so it is unique per room even for a repeated matchup. */
  private newPollId(): string {
    return pollIdFor(`${this.c.room}:${this.counter}:${this.c.now()}`);
  }

  /**
   * The phases a new round gets: the intro (the last part of the betting window) is longer by STREAM_DELAY_MS, so
   * a viewer whose player lags the room by that much still sees the whole intro with bets open.
   */
  private phaseLengths(): RoundState['phaseMs'] & object {
    const { ROUND_PHASES_MS, STREAM_DELAY_MS } = this.c.config;
    return { ...ROUND_PHASES_MS, intro: Math.min(PHASE_MS_BOUNDS.max, ROUND_PHASES_MS.intro + STREAM_DELAY_MS) };
  }

  /** The next round, fixed as the live one finishes: the announced match is the one that plays, and bets can name its poll. */
  private reserveNext(): void {
    if (this.c.store.loadNext()) return;
    this.c.store.saveNext({ pollId: pollIdFor(`${this.c.room}:${this.counter}:${this.c.now()}:next`), matchup: this.nextMatchup() });
  }

  private nextMatchup(): Matchup {
    const bracket = this.c.season?.nextMatchup();
    if (bracket) return bracket;
    const queued = this.c.store.popQueue();
    if (queued) return queued;
    const m = generateMatchup(`${this.c.room}:${this.counter}`, { lang: this.c.config.STREAM_LANG });
    return { ...m, durationSec: this.c.config.ROUND_SECONDS };
  }

  private persist(): void {
    this.c.store.saveRound(this.current, this.counter);
  }
}
