/**
 * Which of the room's streams this node may publish now. A room that assigns each stream to one renderer sends
 * the streams this node holds with a lease (`leaseMs` on 'streams') and renews them in answer to each status
 * report ('lease'). A lease runs on this node's monotonic clock from when the message arrived, so a wall-clock
 * jump cannot stretch it, and nothing here needs the room's clock. When the room goes quiet (a partition, the edge
 * down) nothing renews, and the streams drop out once their leases run out: the room can then give the key to
 * another node without two pictures on one key. A room older than leases sends no `leaseMs`: every listed stream
 * then runs for as long as it is listed, as before.
 *
 * The room numbers each grant (`leaseSeq` on 'streams', `seq` on 'lease'); the keeper remembers the last one it
 * applied, which the node reports back so the room knows a shorter lease has replaced a longer one. A grant numbered
 * below that one is stale (one WebSocket keeps order, but across a reconnect an old grant could come after a newer
 * one) and is ignored: applying it could stretch a lease the room has since shortened, or bring back a stream it
 * moved. The room's seqs follow its clock, so they keep rising across its restarts (edge/src/room/render-leases.ts).
 */
import type { StreamEntry } from '@stream-fighter/core';

export interface LeaseKeeper {
  /**
   * A 'streams' message arrived: it replaces the held set; with `leaseMs`, each may run until leaseMs from now.
   * Ignored when `leaseSeq` is below the last applied grant's.
   */
  setStreams(streams: StreamEntry[], leaseMs?: number, leaseSeq?: number): void;
  /**
   * A 'lease' message arrived: each listed key this node holds may run until leaseMs from now (an expired one
   * comes back). Ignored when `seq` is below the last applied grant's. Returns whether a stream came back, i.e.
   * whether `live()` grew.
   */
  renew(keys: readonly string[], leaseMs: number, seq: number): boolean;
  /** The seq of the last grant applied (undefined until one came with a seq): what the node's reports carry. */
  appliedSeq(): number | undefined;
  /** The held streams whose lease has not run out (every listed one when the room gave no lease), in list order. */
  live(): StreamEntry[];
  /** The keys whose lease ran out since the last call, each once per expiry (a renewal re-arms it). */
  takeExpired(): string[];
}

interface Held {
  entry: StreamEntry;
  /** Monotonic ms until which it may run; Infinity when the room gives no leases. */
  until: number;
  /** Already handed out by takeExpired(), so an expiry is told once. */
  expiredTold: boolean;
}

export function createLeaseKeeper(
  o: {
    now?: () => number;
    /** A stale grant was ignored (for the log). */
    onStale?: (seq: number, applied: number) => void;
  } = {},
): LeaseKeeper {
  const now = o.now ?? (() => performance.now());
  let held = new Map<string, Held>();
  let applied: number | undefined;

  const isLive = (h: Held, t: number) => h.until > t;
  /** Whether a grant numbered `seq` may be applied; if so, it becomes the last applied. Equal is not stale. */
  const admit = (seq: number | undefined): boolean => {
    if (seq === undefined) return true;
    if (applied !== undefined && seq < applied) {
      o.onStale?.(seq, applied);
      return false;
    }
    applied = seq;
    return true;
  };

  return {
    setStreams(streams, leaseMs, leaseSeq) {
      if (!admit(leaseSeq)) return;
      const until = leaseMs === undefined ? Infinity : now() + leaseMs;
      held = new Map(streams.map((entry) => [entry.streamKey, { entry, until, expiredTold: false }]));
    },
    renew(keys, leaseMs, seq) {
      if (!admit(seq)) return false;
      const t = now();
      let cameBack = false;
      for (const key of keys) {
        const h = held.get(key);
        // A key not in the last list is not ours (the room moved it, or the list and the renewal crossed); a key
        // held without a lease (an older room) needs none.
        if (!h || h.until === Infinity) continue;
        if (!isLive(h, t)) cameBack = true;
        // The room's latest word: a shorter lease (a standby just connected, so no more long solo lease) shortens it.
        h.until = t + leaseMs;
        h.expiredTold = false;
      }
      return cameBack;
    },
    appliedSeq() {
      return applied;
    },
    live() {
      const t = now();
      return [...held.values()].filter((h) => isLive(h, t)).map((h) => h.entry);
    },
    takeExpired() {
      const t = now();
      const out: string[] = [];
      for (const [key, h] of held) {
        if (isLive(h, t) || h.expiredTold) continue;
        h.expiredTold = true;
        out.push(key);
      }
      return out;
    },
  };
}
