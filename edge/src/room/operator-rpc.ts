/**
 * The room's calls behind the operator's routes (the matchup queue, the streams and their screens, shout-out moderation, voters, chat sources),
 * each handed to the module that does the work. A base class of the room, because Workers RPC calls the methods of
 * the Durable Object class itself; the room (arena.ts) sets the modules when it loads.
 */
import { Server } from 'partyserver';
import type { ChatSourceView, Matchup, SeasonAction, SeasonResponse, Moderation, Screen, ScreenCreate, ScreenUpdate, Shoutout, StreamEntry } from '@stream-fighter/core';
import type { BallotBox } from './ballot-box.ts';
import type { ChatDesk } from './chat-desk.ts';
import type { PauseRefusal } from './chat-sources.ts';
import type { RoundRunner } from './round-runner.ts';
import type { ShoutoutDesk } from './shoutout-desk.ts';
import type { RoomStorage } from './storage.ts';
import type { ScreenRefusal } from './screen-book.ts';
import type { ScreenDeleteRefusal, StreamDesk, StreamStart } from './stream-desk.ts';
import type { BetBook } from './bet-book.ts';
import type { SeasonDesk } from './season-desk.ts';

export abstract class OperatorRpc extends Server<Env> {
  protected store!: RoomStorage;
  protected runner!: RoundRunner;
  protected ballots!: BallotBox;
  protected desk!: ShoutoutDesk;
  protected streamDesk!: StreamDesk;
  protected chat!: ChatDesk;
  protected bets!: BetBook;
  protected season!: SeasonDesk;

  abstract now(): number;

  enqueue(matchups: Matchup[]): Array<{ id: number; matchup: Matchup }> {
    this.store.enqueue(matchups);
    this.runner.changed();
    return this.store.queue();
  }

  /** The operator's acts on the season's cycle: start a tournament now, skip to matchmaking, set the cycle's lengths. */
  seasonAction(act: SeasonAction): SeasonResponse {
    // The round brought up to now first: a round whose time is up counts where it belongs before the act applies.
    this.runner.advance();
    if (act.action === 'start-tournament') this.season.startTournament();
    else if (act.action === 'skip-to-matchmaking') this.season.skipToMatchmaking();
    else this.season.setLengths(act.lengths);
    return this.season.view();
  }

  /** Not `queue`: that name is the Queues consumer handler, which RPC will not call. */
  listQueue(): Array<{ id: number; matchup: Matchup }> {
    return this.store.queue();
  }

  dequeue(id: number): boolean {
    const removed = this.store.removeQueued(id);
    if (removed) this.runner.changed();
    return removed;
  }

  streams(): StreamEntry[] {
    return this.streamDesk.list();
  }

  startStream(input: { streamKey: string; screenId: StreamEntry['screenId'] }): StreamStart | ScreenRefusal {
    return this.streamDesk.start(input);
  }

  screens(): Screen[] {
    return this.streamDesk.screens();
  }

  createScreen(input: ScreenCreate): { screen: Screen } | ScreenRefusal {
    return this.streamDesk.createScreen(input);
  }

  updateScreen(id: string, change: ScreenUpdate): { screen: Screen } | ScreenRefusal {
    return this.streamDesk.updateScreen(id, change);
  }

  deleteScreen(id: string): { removed: Screen } | ScreenDeleteRefusal {
    return this.streamDesk.deleteScreen(id);
  }

  stopStream(streamKey: string): boolean {
    return this.streamDesk.stop(streamKey);
  }

  approveShoutout(id: string): Shoutout | null {
    return this.desk.approve(id);
  }

  rejectShoutout(id: string): boolean {
    return this.desk.reject(id);
  }

  /** Off the air or out of the queue, wherever it is. */
  removeShoutout(id: string): boolean {
    return this.desk.hide(id);
  }

  takeDownShoutouts(ids: string[]): number {
    return this.desk.takeDown(ids);
  }

  moderation(): Moderation {
    return this.desk.state();
  }

  setAutoApprove(on: boolean): Moderation {
    this.desk.setAutoApprove(on);
    return this.desk.state();
  }

  chatSources(): ChatSourceView[] {
    return this.chat.list();
  }

  /** A paused source's votes are not counted; the flag is kept in the room's storage. */
  setChatPaused(source: string, paused: boolean): ChatSourceView | PauseRefusal {
    return this.chat.setPaused(source, paused);
  }

  /** Refuses the voter's shout-outs and votes from now on, drops what they have waiting, and takes them off the chat feed. */
  banVoter(voterId: string): { banned: boolean; dropped: string[] } {
    this.chat.forget(voterId);
    return this.desk.ban(voterId, this.now());
  }

  unbanVoter(voterId: string): boolean {
    return this.desk.unban(voterId);
  }

  /** An erasure request. A ban (the desk's) stays, as the moderation decision it is. */
  forgetVoter(voterId: string): { votes: number; keptUntilRoundEnds: number; polls: string[] } {
    // Their waiting shout-outs hold a name and a message: they go too (the aired ones are taken down by the route).
    this.desk.forget(voterId);
    this.chat.forget(voterId);
    // Their points and bets go too (an open bet's stake leaves its pool, so the odds on the air change).
    if (this.bets.forget(voterId) > 0) this.runner.changed();
    return this.ballots.forget(voterId);
  }
}
