/**
 * The room's work that talks to the outside, run when it wakes and on every alarm: archive finished rounds, expire
 * personal data, keep the matchup queue warm. Each part fails on its own and none of it blocks the round.
 */
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
}

export class Upkeep {
  /** Runs at most hourly; tests reset it to make the next alarm purge. */
  readonly retention = new Retention();
  private prewarming = false;
  private readonly c: UpkeepContext;

  constructor(c: UpkeepContext) {
    this.c = c;
  }

  async run(): Promise<void> {
    const { store, config, room, now } = this.c;
    const missing = QUEUE_TARGET - store.queue().length;
    await Promise.allSettled([archiveOutbox(store, config, room), this.retention.run(config, room, now()), missing > 0 ? this.prewarm(missing) : Promise.resolve()]);
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
