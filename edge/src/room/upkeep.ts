/**
 * The room's work that talks to the outside, run when it wakes and on every alarm: archive finished rounds, expire
 * personal data, plan the season's next matches (and keep the queue warm), then tell the operator what went down or came back (alerts/). Each
 * part fails on its own and none of it blocks the round.
 */
import type { Alerts } from '../alerts/alerts.ts';
import type { AppConfig } from '../env.ts';
import { archiveOutbox } from './archiver.ts';
import { Retention } from './retention.ts';
import type { RoundRunner } from './round-runner.ts';
import type { SeasonDesk } from './season-desk.ts';
import type { RoomStorage } from './storage.ts';

/** Keep this many matchups ready so a round change never waits for the AI. */
export const QUEUE_TARGET = 2;

export interface UpkeepContext {
  store: RoomStorage;
  config: AppConfig;
  room: string;
  now: () => number;
  runner: RoundRunner;
  alerts: Alerts;
  season: SeasonDesk;
}

export class Upkeep {
  /** Runs at most hourly; tests reset it to make the next alarm purge. */
  readonly retention = new Retention();
  private planning = false;
  private readonly c: UpkeepContext;

  constructor(c: UpkeepContext) {
    this.c = c;
  }

  get alerts(): Alerts {
    return this.c.alerts;
  }

  async run(): Promise<void> {
    const { store, config, room, now } = this.c;
    await Promise.allSettled([this.archive(), this.retention.run(config, room, now()), this.plan()]);
    // After the archive: the check sees what this run archived or parked.
    await this.c.alerts.check();
  }

  /** Archives the outbox, and tells the alerts which rounds left it archived and which parked. */
  private async archive(): Promise<void> {
    const { store, config, room, now, alerts } = this.c;
    const before = store.outbox().map((e) => e.pollId);
    if (before.length === 0) return;
    // The room's clock for the parking time, as for everything else the room stamps.
    await archiveOutbox(store, config, room, now());
    const left = new Set(store.outbox().map((e) => e.pollId));
    const gone = before.filter((id) => !left.has(id));
    if (gone.length === 0) return;
    const parkedNow = new Map(store.parked().map((p) => [p.pollId, p.error]));
    const parked = gone.flatMap((id) => (parkedNow.has(id) ? [{ error: parkedNow.get(id)! }] : []));
    alerts.archived({ archived: gone.length - parked.length, parked });
  }

  /**
   * The season's planning (season-desk.ts): the tournament's field when it is wanted, and the queue filled to
   * QUEUE_TARGET with matchmaking pairings. One at a time: an alarm during a slow AI call must not order a second batch.
   */
  private async plan(): Promise<void> {
    if (this.planning) return;
    this.planning = true;
    const { store, config, room, now, runner, season } = this.c;
    try {
      const matchups = await season.plan(QUEUE_TARGET - store.queue().length, `${room}:${runner.seq}:${now()}`);
      if (matchups.length === 0) return;
      store.enqueue(matchups.map((m) => ({ ...m, durationSec: config.ROUND_SECONDS })));
      runner.changed();
    } finally {
      this.planning = false;
    }
  }
}
