/**
 * The room's work that talks to the outside, run when it wakes and on every alarm: archive finished rounds, expire
 * personal data, keep the matchup queue warm, then tell the operator what went down or came back (alerts/). Each
 * part fails on its own and none of it blocks the round.
 */
import type { Alerts } from '../alerts/alerts.ts';
import type { AppConfig } from '../env.ts';
import { archiveOutbox } from './archiver.ts';
import { prewarmQueue } from './prewarm.ts';
import { Retention } from './retention.ts';
import type { RoundRunner } from './round-runner.ts';
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
}

export class Upkeep {
  /** Runs at most hourly; tests reset it to make the next alarm purge. */
  readonly retention = new Retention();
  private prewarming = false;
  private readonly c: UpkeepContext;

  constructor(c: UpkeepContext) {
    this.c = c;
  }

  get alerts(): Alerts {
    return this.c.alerts;
  }

  async run(): Promise<void> {
    const { store, config, room, now } = this.c;
    const missing = QUEUE_TARGET - store.queue().length;
    await Promise.allSettled([this.archive(), this.retention.run(config, room, now()), missing > 0 ? this.prewarm(missing) : Promise.resolve()]);
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

  /** One prewarm at a time: an alarm during a slow AI call must not order a second batch. */
  private async prewarm(count: number): Promise<void> {
    if (this.prewarming) return;
    this.prewarming = true;
    const { store, config, room, now, runner } = this.c;
    try {
      const matchups = await prewarmQueue(config, { count, seed: `${room}:${runner.seq}:${now()}` });
      store.enqueue(matchups.map((m) => ({ ...m, durationSec: config.ROUND_SECONDS })));
      runner.changed();
    } finally {
      this.prewarming = false;
    }
  }
}
