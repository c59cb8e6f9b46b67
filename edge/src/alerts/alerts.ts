/**
 * The operator's alerts: a message to a webhook (Discord or Slack) when a desired stream stops being live, when
 * votes start failing, when the archive stalls, and when each recovers. The room's alarm runs the check (upkeep.ts);
 * without ALERT_WEBHOOK_URL none of this runs. Rate limits: at most one message per condition per
 * ALERT_REPEAT_MIN (5) minutes, and ALERT_MAX_PER_HOUR (20) messages per hour in all; what a check finds due goes
 * out as one message.
 */
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import type { RoomStorage } from '../room/storage.ts';
import { AlertStore } from './alert-store.ts';
import { budget, evaluate, settle } from './conditions.ts';
import { webhookBody } from './message.ts';
import { observeArchive, observeStreams, observeVotes } from './observe.ts';
import { VoteWatch } from './vote-watch.ts';
import { postWebhook } from './webhook.ts';

/**
 * While something is watched (a desired stream, a condition not yet settled, votes in the window), the room checks
 * at least this often: a renderer's report or a vote arrives without an alarm, so a stream going down is seen
 * within its threshold plus this.
 */
export const WATCH_EVERY_MS = 15_000;

export interface AlertsContext {
  sql: SqlStorage;
  store: RoomStorage;
  config: AppConfig;
  room: string;
  now: () => number;
}

export class Alerts {
  /** The vote path reports each answer here (ballot-box.ts). */
  readonly votes: VoteWatch;
  private readonly saved: AlertStore;
  private readonly c: AlertsContext;
  /** From the last check: when something changes with no new evidence (a threshold, a gap, the hourly cap). */
  private nextAt = Infinity;
  private held = false;
  private checking: Promise<void> = Promise.resolve();

  constructor(c: AlertsContext) {
    this.c = c;
    this.votes = new VoteWatch(c.now);
    this.saved = new AlertStore(c.sql);
  }

  get enabled(): boolean {
    return this.c.config.ALERT_WEBHOOK_URL !== undefined;
  }

  /**
   * What an archive run did (upkeep.ts): the marks that say whether the archive works. A run that parked a round
   * marks a parking even if it archived others too; the next run that archives without parking clears it.
   */
  archived(run: { archived: number; parked: Array<{ error: string }> }): void {
    if (!this.enabled) return;
    const last = run.parked[run.parked.length - 1];
    if (last) this.saved.markArchive({ parkedAt: this.c.now(), parkedError: last.error });
    else if (run.archived > 0) this.saved.markArchive({ okAt: this.c.now() });
  }

  /** When the room should wake for the alerts: never while they are off. */
  wakeAt(): number {
    if (!this.enabled) return Infinity;
    const now = this.c.now();
    const votes = this.votes.stats();
    const watching = this.c.store.streams().length > 0 || [...this.saved.rows().values()].some((r) => r.badSince !== null || r.notified === 'down') || votes.answered + votes.failed > 0;
    return Math.max(now + 1, Math.min(this.nextAt, watching ? now + WATCH_EVERY_MS : Infinity));
  }

  /**
   * One check: never throws, so the rest of the room's upkeep is never held up by it. Checks run one after the
   * other: the room's wake and an alarm can both start one, and two at once would both send what is due.
   */
  check(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.checking = this.checking.then(() =>
      this.run().catch((e: unknown) => log.error('alert.check-failed', { room: this.c.room, error: e instanceof Error ? e.message : String(e) })),
    );
    return this.checking;
  }

  private async run(): Promise<void> {
    const { store, config, room, now: clock } = this.c;
    const now = clock();
    const observed = [
      ...observeStreams(store.streams(), store.statuses(), now, config),
      observeVotes(this.votes.stats(), config),
      observeArchive(store.outbox(), this.saved.archive(), now, config),
    ];
    const before = this.saved.rows();
    const repeatMs = config.ALERT_REPEAT_MIN * 60_000;
    const found = evaluate(before, observed, now, repeatMs);
    this.nextAt = found.nextAt;
    if (found.due.length === 0) return this.saved.save(before, found.rows, found.dropped);

    const slot = budget(this.saved.sends(now), now, config.ALERT_MAX_PER_HOUR);
    if (!slot.ok) {
      // Held, not dropped: when the hour frees a slot, the state as it is then goes out.
      if (!this.held) log.warn('alert.held', { room, lines: found.due.length, perHour: config.ALERT_MAX_PER_HOUR, until: new Date(slot.freeAt).toISOString() });
      this.held = true;
      this.nextAt = Math.min(this.nextAt, slot.freeAt);
      return this.saved.save(before, found.rows, found.dropped);
    }
    this.held = false;
    // Counted before the send: a webhook that keeps failing is tried no more often than the cap allows.
    this.saved.sent(now);
    const delivery = await postWebhook(config.ALERT_WEBHOOK_URL!, webhookBody(room, found.due, now));
    const kinds = found.due.map((l) => `${l.kind}:${l.key.startsWith('stream:') ? 'stream' : l.key}`);
    if (delivery.ok) log.info('alert.sent', { room, lines: kinds });
    else log.warn('alert.delivery-failed', { room, lines: kinds, status: delivery.status, error: delivery.error });
    const settled = settle(found.rows, found.due, delivery.ok, now);
    this.saved.save(before, settled.rows, [...found.dropped, ...settled.dropped]);
    this.nextAt = Math.min(this.nextAt, now + repeatMs);
  }
}
