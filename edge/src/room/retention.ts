import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { services } from '../services.ts';
import { clearOldAddressKeys } from '../db/personal-data.ts';

/** The room's alarm fires every round or minute; the purge needs to run far less often. */
const EVERY_MS = 60 * 60 * 1000;

/** Expiry of the personal data Postgres holds (db/personal-data.ts), run from the room's alarm at most hourly. */
export class Retention {
  private lastRun = -Infinity;

  async run(config: AppConfig, room: string, now: number): Promise<void> {
    if (now - this.lastRun < EVERY_MS) return;
    this.lastRun = now;
    try {
      const cleared = await clearOldAddressKeys(services(config).db, config.ADDRESS_HASH_DAYS);
      if (cleared > 0) log.info('retention.address-keys-cleared', { room, cleared, days: config.ADDRESS_HASH_DAYS });
    } catch (e) {
      // Tried again in five minutes; Postgres being away must not stop the round.
      this.lastRun = now - EVERY_MS + 5 * 60 * 1000;
      log.warn('retention.failed', { room, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
