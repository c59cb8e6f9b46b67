/**
 * Which chats this bridge relays and announces in. The room leases each chat source to one bridge
 * (edge/src/room/chat-leases.ts) and says, in answer to each status report, which ones this bridge holds and for
 * how long. The time runs on this process's monotonic clock from when the report was SENT, not when the answer
 * came: the room granted it later than that, so the lease ends here no later than the room's record does, however
 * slow the answer was, and a wall-clock jump cannot stretch it. With the edge unreachable nothing renews, and each
 * source stops being relayed when its lease runs out: the room can then hand it to another bridge without two
 * bridges relaying (and announcing in) one chat.
 *
 * Each source is
 * - `held`: a lease with time left. Its votes are sent, its chat is announced in.
 * - `waiting`: no word yet (no answer since the bridge started), or its lease ran out with no newer answer (the edge
 *   is away). Its votes are kept in the relay's bounded buffer but not sent: they go if the lease comes back, and
 *   are dropped if the room says another bridge holds the source. So a lone bridge loses no vote to an edge outage.
 * - `standby`: the room's latest answer gave it to another bridge (or refused a batch: `notLeased`). Its chat is
 *   still read (a hot standby, ready to take over), but its lines are dropped and counted.
 * A room older than leases answers without `leases`: every source is then held, as before leases.
 */
import type { ChatLease, ChatSourceId } from '@stream-fighter/core';

export type Standing = 'held' | 'waiting' | 'standby';

export interface LeaseKeeper {
  /** The clock leases run on; a report's send time is read from it. */
  now(): number;
  /**
   * A status answer: `leases` as the room sent them (undefined: a room that does not lease), for a report sent at
   * `sentAt` (now()). It replaces the last answer: a source not listed is another bridge's.
   */
  apply(leases: readonly ChatLease[] | undefined, sentAt: number): void;
  /** The room refused a batch of this source (`notLeased`): another bridge holds it. */
  lost(source: ChatSourceId): void;
  standing(source: ChatSourceId): Standing;
  /** What is left of the source's lease (ms), or null when it has none (or the room does not lease). */
  msLeft(source: ChatSourceId): number | null;
}

export function createLeaseKeeper(o: { now?: () => number } = {}): LeaseKeeper {
  const now = o.now ?? (() => performance.now());
  /** Until the first answer nothing is known; an answer without leases is a room that does not lease. */
  let mode: 'unknown' | 'unleased' | 'leased' = 'unknown';
  let until = new Map<ChatSourceId, number>();

  return {
    now,
    apply(leases, sentAt) {
      if (leases === undefined) {
        mode = 'unleased';
        until.clear();
        return;
      }
      mode = 'leased';
      until = new Map(leases.map((l) => [l.source, sentAt + l.ms]));
    },
    lost(source) {
      // Only a leasing room refuses a batch so; before its first answer nothing is sent that it could refuse.
      if (mode === 'leased') until.delete(source);
    },
    standing(source) {
      if (mode === 'unleased') return 'held';
      if (mode === 'unknown') return 'waiting';
      const end = until.get(source);
      if (end === undefined) return 'standby';
      return end > now() ? 'held' : 'waiting';
    },
    msLeft(source) {
      const end = until.get(source);
      return end === undefined ? null : Math.max(0, Math.round(end - now()));
    },
  };
}
