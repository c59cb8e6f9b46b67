/**
 * The room's shout-out moderation: what waits for an operator, what is on air, who is banned, and whether
 * shout-outs air without waiting. All of it lives in the room's SQLite, so one object decides and every decision
 * commits with the state the viewers and operators are sent.
 */
import { PENDING_SHOUTOUTS_MAX, PROTOCOL_VERSION, type Moderation, type Shoutout } from '@stream-fighter/core';
import type { RoomStorage } from './storage.ts';

export type ShoutoutAdmission = { ok: true; status: 'pending' | 'visible' } | { ok: false; code: 'banned' | 'already-pending' | 'queue-full' };

/**
 * Shout-outs one voter may have waiting at once. Without it a hundred fresh sessions fill the whole queue in a
 * minute and every honest shout-out is refused; with it a flood costs one session per slot, and each session costs
 * a proof of work and an address's session budget.
 */
export const PENDING_SHOUTOUTS_PER_VOTER = 1;

export interface DeskEvents {
  /** What is on air changed: the viewers' snapshot must go out again. */
  aired(): void;
  /** The queue or the setting changed: the operators must be told. */
  queued(): void;
}

export class ShoutoutDesk {
  private readonly store: RoomStorage;
  private readonly config: { autoApprove: boolean; onAir: number };
  private readonly events: DeskEvents;

  constructor(store: RoomStorage, config: { autoApprove: boolean; onAir: number }, events: DeskEvents) {
    this.store = store;
    this.config = config;
    this.events = events;
  }

  submit(s: Shoutout, voterId: string): ShoutoutAdmission {
    if (this.store.isBanned(voterId)) return { ok: false, code: 'banned' };
    if (this.autoApprove()) {
      this.air(s);
      return { ok: true, status: 'visible' };
    }
    if (this.store.pendingCount(voterId) >= PENDING_SHOUTOUTS_PER_VOTER) return { ok: false, code: 'already-pending' };
    if (this.store.pendingCount() >= PENDING_SHOUTOUTS_MAX) return { ok: false, code: 'queue-full' };
    this.store.addPending({ ...s, voterId });
    this.events.queued();
    return { ok: true, status: 'pending' };
  }

  /** The approved shout-out, now on air; null when none waits under that id. */
  approve(id: string): Shoutout | null {
    const waiting = this.store.takePending(id);
    if (!waiting) return null;
    const { voterId: _, ...shoutout } = waiting;
    this.air(shoutout);
    this.events.queued();
    return shoutout;
  }

  reject(id: string): boolean {
    const removed = this.store.takePending(id) !== null;
    if (removed) this.events.queued();
    return removed;
  }

  /** Off the air, or out of the queue: wherever it is. */
  hide(id: string): boolean {
    const aired = this.store.removeShoutout(id);
    const waiting = this.store.takePending(id) !== null;
    if (aired) this.events.aired();
    if (waiting) this.events.queued();
    return aired || waiting;
  }

  /** Takes these off the air (a banned sender's, found in the log); returns how many were on air. */
  takeDown(ids: readonly string[]): number {
    const removed = ids.filter((id) => this.store.removeShoutout(id)).length;
    if (removed > 0) this.events.aired();
    return removed;
  }

  /** Bans a voter and drops what they have waiting. `banned` is false when they already were. */
  ban(voterId: string, now: number): { banned: boolean; dropped: string[] } {
    const banned = this.store.ban(voterId, now);
    const dropped = this.store.dropPendingOf(voterId);
    if (dropped.length > 0) this.events.queued();
    return { banned, dropped };
  }

  /** An erasure request: what this voter has waiting goes, as with a ban, but without banning them. */
  forget(voterId: string): string[] {
    const dropped = this.store.dropPendingOf(voterId);
    if (dropped.length > 0) this.events.queued();
    return dropped;
  }

  unban(voterId: string): boolean {
    return this.store.unban(voterId);
  }

  isBanned(voterId: string): boolean {
    return this.store.isBanned(voterId);
  }

  setAutoApprove(on: boolean): void {
    this.store.setAutoApprove(on);
    this.events.queued();
  }

  autoApprove(): boolean {
    return this.store.autoApprove(this.config.autoApprove);
  }

  /** What is on air now: the latest, as many as the screen shows, oldest first. */
  onAir(): Shoutout[] {
    return this.store.shoutouts(this.config.onAir);
  }

  state(): Moderation {
    return { type: 'moderation', v: PROTOCOL_VERSION, pending: this.store.pendingShoutouts(), autoApprove: this.autoApprove() };
  }

  private air(s: Shoutout): void {
    this.store.addShoutout(s, this.config.onAir);
    this.events.aired();
  }
}
