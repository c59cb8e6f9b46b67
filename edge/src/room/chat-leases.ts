/**
 * Which chat bridge relays each chat source: one lease per source, so two bridges reading one channel neither double
 * the edge's load nor announce twice. The render nodes' rules (lease-plan.ts, README "Render nodes and failover"),
 * over HTTP: a bridge's status report (every STATUS_INTERVAL_MS, 5 s) grants it the sources nobody holds and renews
 * those it holds; the reply says for how long, and the bridge stops relaying and announcing a source when that runs
 * out, edge reachable or not (chat-bridge/src/lease-keeper.ts). A holder that goes quiet keeps its sources until its
 * lease has run out and the margin after it; the next bridge to report the source then takes it. So at no moment
 * do two bridges hold one source, with one exception: past CHAT_SOURCES_MAX sources heard, the least recently heard
 * is forgotten with its lease (chat-sources.ts), bound or not, and another bridge may then take it while its holder,
 * on its own clock, still relays it. Its votes still count once each (the room's ballot box); the chat may hear two
 * announcements until the holder's lease runs out. Records live in the room's SQLite: a restarted room hands nothing on early.
 *
 * A holder whose chat is down (it reports the source not `connected`) while another bridge reads it connected is
 * not renewed: the source moves to the working reader once the lease is over, as from a dead holder.
 */

/** One source's lease: `bridge` may relay it until `until` (room time). */
export interface ChatLeaseRecord {
  source: string;
  bridge: string;
  until: number;
}

/** One bridge's latest word on one source. */
export interface ChatReader {
  bridge: string;
  /** Room time of its report. */
  at: number;
  connected: boolean;
}

export interface ChatLeaseTimes {
  /** How long a report keeps a bridge's sources: how long a dead holder's chat goes unrelayed, at most. */
  leaseMs: number;
  /** Added to a gone holder's lease before its source moves. */
  marginMs: number;
}

/**
 * Three report intervals (the bridge reports every 5 s, with a 5-s timeout): a holder keeps its chats through two
 * lost or slow reports, and a dead holder's chat moves within 15 s + the margin + the standby's next report (≤ 5 s).
 * Standbys report at the same pace rather than faster: that would save at most those last 5 s and double the
 * reports. The edge's CHAT_LEASE_MS, once read into the room's config, replaces it.
 */
export const CHAT_LEASE_MS = 15_000;
/**
 * The bridge counts its lease from when it sent the report, so it stops before the room's record ends whatever
 * the network's delay: the margin only has to cover the two clocks' rates and a timer's lateness.
 */
export const CHAT_LEASE_MARGIN_MS = 1_000;

/** Whether the record still keeps the source from anyone else: the lease, and the margin after it. */
export function binds(rec: ChatLeaseRecord, now: number, t: ChatLeaseTimes): boolean {
  return now < rec.until + t.marginMs;
}

/**
 * The source's lease after `bridge` reported it. Renewed when the reporter holds it; taken when nobody holds it
 * (no record, or the holder's lease and margin are over); else unchanged. A reporter whose chat is not connected
 * renews or takes nothing while another bridge read the source connected within a lease (`readers`: every bridge's
 * latest word on it, the reporter's included or not).
 */
export function afterReport(rec: ChatLeaseRecord | undefined, source: string, bridge: string, connected: boolean, readers: readonly ChatReader[], now: number, t: ChatLeaseTimes): ChatLeaseRecord | undefined {
  const working = connected || !readers.some((r) => r.bridge !== bridge && r.connected && now - r.at <= t.leaseMs);
  if (rec?.bridge === bridge) return working ? { ...rec, until: Math.max(rec.until, now + t.leaseMs) } : rec;
  if (rec && binds(rec, now, t)) return rec;
  return working ? { source, bridge, until: now + t.leaseMs } : rec;
}

/** Whether a batch of `bridge`'s for the source may count: it holds the source, or nobody does. */
export function mayRelay(rec: ChatLeaseRecord | undefined, bridge: string, now: number, t: ChatLeaseTimes): boolean {
  return !rec || rec.bridge === bridge || !binds(rec, now, t);
}

/**
 * The room's records: one row per source, kept while it binds (a record past its margin is the same as none), and
 * forgotten with the source (chat-sources.ts keeps at most CHAT_SOURCES_MAX, the least recently heard going first),
 * so a stolen bridge token cannot grow the table without bound.
 */
export class ChatLeases {
  private readonly sql: SqlStorage;
  readonly times: ChatLeaseTimes;
  private readonly records = new Map<string, ChatLeaseRecord>();

  constructor(sql: SqlStorage, times: ChatLeaseTimes) {
    this.sql = sql;
    this.times = times;
    sql.exec(`CREATE TABLE IF NOT EXISTS chat_leases (source TEXT PRIMARY KEY, bridge TEXT NOT NULL, until INTEGER NOT NULL)`);
    for (const r of sql.exec<{ source: string; bridge: string; until: number }>(`SELECT source, bridge, until FROM chat_leases`)) this.records.set(r.source, { ...r });
  }

  /** The source's lease while it binds. */
  holder(source: string, now: number): ChatLeaseRecord | undefined {
    const rec = this.records.get(source);
    return rec && binds(rec, now, this.times) ? rec : undefined;
  }

  /** The bridge named by the source's record, whether it still binds or not (only a grant replaces it). */
  lastHolder(source: string): string | undefined {
    return this.records.get(source)?.bridge;
  }

  mayRelay(source: string, bridge: string, now: number): boolean {
    return mayRelay(this.records.get(source), bridge, now, this.times);
  }

  /**
   * A bridge's report of these sources (`readers(source)`: every bridge's latest word on it). Returns the leases
   * the bridge holds after it, each with the time it has left, for the reply.
   */
  reported(bridge: string, sources: ReadonlyArray<{ source: string; connected: boolean }>, readers: (source: string) => ChatReader[], now: number): Array<{ source: string; ms: number }> {
    this.forgetUnbound(now);
    const out: Array<{ source: string; ms: number }> = [];
    for (const { source, connected } of sources) {
      const before = this.records.get(source);
      const after = afterReport(before, source, bridge, connected, readers(source), now, this.times);
      if (after && after !== before) {
        this.records.set(source, after);
        this.sql.exec(`INSERT INTO chat_leases (source, bridge, until) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET bridge = excluded.bridge, until = excluded.until`, source, after.bridge, after.until);
      }
      const ms = after?.bridge === bridge ? Math.floor(after.until - now) : 0;
      if (ms > 0) out.push({ source, ms });
    }
    return out;
  }

  /** The source is no longer known: its record goes (its holder, if any, is told on its next report). */
  forget(source: string): void {
    if (this.records.delete(source)) this.sql.exec(`DELETE FROM chat_leases WHERE source = ?`, source);
  }

  private forgetUnbound(now: number): void {
    let gone = false;
    for (const [source, rec] of this.records) {
      if (binds(rec, now, this.times)) continue;
      this.records.delete(source);
      gone = true;
    }
    if (gone) this.sql.exec(`DELETE FROM chat_leases WHERE until + ? <= ?`, this.times.marginMs, now);
  }
}
