/**
 * The Arena's side of relays (relay.ts): where a new viewer connects, and feeding the relays in use once per
 * update. The Arena holds viewers itself until it has RELAY_AFTER_VIEWERS; from then on new viewers go to one of
 * RELAY_COUNT relays, chosen by a hash of their address tag, so an address's connections share one object and the
 * per-address cap (counted where the connections are) stays whole. The relays in use are kept in the room's SQLite,
 * so a room that wakes from hibernation goes on feeding them; one reporting no viewers while the Arena is below
 * the threshold again is dropped.
 */
import { hash32 } from '@stream-fighter/core/hash';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import type { Fanout, Relay } from './relay.ts';

/** A relay's name: made here, from the room's, never taken from a client. */
export function relayName(room: string, k: number): string {
  return `${room}.relay.${k}`;
}

export interface RelayDeskContext {
  sql: SqlStorage;
  config: AppConfig;
  room: string;
  relay: (name: string) => DurableObjectStub<Relay>;
  /** Viewers connected to the Arena itself. */
  arenaViewers: () => number;
  waitUntil: (work: Promise<unknown>) => void;
}

export class RelayDesk {
  private readonly c: RelayDeskContext;
  private readonly used: Set<number>;

  constructor(c: RelayDeskContext) {
    this.c = c;
    c.sql.exec(`CREATE TABLE IF NOT EXISTS relays_used (k INTEGER PRIMARY KEY)`);
    this.used = new Set(c.sql.exec<{ k: number }>(`SELECT k FROM relays_used`).toArray().map((r) => r.k));
  }

  /** The relay a viewer with this address tag connects to, or null: the Arena itself. */
  place(addressTag: string): number | null {
    const { RELAY_AFTER_VIEWERS, RELAY_COUNT } = this.c.config;
    if (this.used.size === 0 && this.c.arenaViewers() < RELAY_AFTER_VIEWERS) return null;
    const k = hash32(addressTag) % RELAY_COUNT;
    if (!this.used.has(k)) {
      this.used.add(k);
      this.c.sql.exec(`INSERT OR IGNORE INTO relays_used (k) VALUES (?)`, k);
      log.info('relay.opened', { room: this.c.room, relay: k });
    }
    return k;
  }

  /** One update to every relay in use (one RPC each, not one per viewer); their answers say who is still there. */
  feed(f: Fanout): void {
    for (const k of this.used) {
      const work = this.c.relay(relayName(this.c.room, k))
        .fanout(f)
        .then(
          (viewers) => {
            if (viewers === 0 && this.c.arenaViewers() < this.c.config.RELAY_AFTER_VIEWERS) this.drop(k);
          },
          (e: unknown) => log.warn('relay.feed-failed', { room: this.c.room, relay: k, error: String(e) }),
        );
      this.c.waitUntil(work);
    }
  }

  get inUse(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }

  private drop(k: number): void {
    if (!this.used.delete(k)) return;
    this.c.sql.exec(`DELETE FROM relays_used WHERE k = ?`, k);
    log.info('relay.closed', { room: this.c.room, relay: k });
  }
}
