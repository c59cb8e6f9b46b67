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

/** A relay with no viewers is no longer fed once no viewer has been sent to it for this long. */
const DROP_AFTER_QUIET_MS = 60_000;

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
  /** One stub per relay: calls through one stub arrive in the order they were made. */
  private readonly stubs = new Map<number, DurableObjectStub<Relay>>();
  /** When a viewer was last sent to each relay (memory; a room just woken counts from its wake). */
  private readonly placedAt = new Map<number, number>();
  private readonly wokeAt = Date.now();

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
    this.placedAt.set(k, Date.now());
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
      let stub = this.stubs.get(k);
      if (!stub) this.stubs.set(k, (stub = this.c.relay(relayName(this.c.room, k))));
      const work = stub
        .fanout(f)
        .then(
          (viewers) => {
            // A viewer sent there a moment ago may not have connected yet: a relay is dropped only after a quiet minute.
            const quiet = Date.now() - (this.placedAt.get(k) ?? this.wokeAt) > DROP_AFTER_QUIET_MS;
            if (viewers === 0 && quiet && this.c.arenaViewers() < this.c.config.RELAY_AFTER_VIEWERS) this.drop(k);
          },
          (e: unknown) => {
            // A stub that failed may stay broken (the object was reset): the next update makes a new one.
            this.stubs.delete(k);
            log.warn('relay.feed-failed', { room: this.c.room, relay: k, error: String(e) });
          },
        );
      this.c.waitUntil(work);
    }
  }

  get inUse(): number[] {
    return [...this.used].sort((a, b) => a - b);
  }

  private drop(k: number): void {
    if (!this.used.delete(k)) return;
    this.stubs.delete(k);
    this.placedAt.delete(k);
    this.c.sql.exec(`DELETE FROM relays_used WHERE k = ?`, k);
    log.info('relay.closed', { room: this.c.room, relay: k });
  }
}
