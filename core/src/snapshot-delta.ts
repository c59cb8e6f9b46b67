/**
 * Snapshot deltas: the room sends a viewer its whole state once (on join, on resync) and then only what changed,
 * tens of bytes for a vote instead of a 2-3 KB snapshot. `diffSnapshots` is the room's side, `applyDelta` and
 * `RoomFeed` the clients'. Zod-free at run time (types only from protocol.ts), so the vote page ships without it.
 */
import { dequal } from 'dequal/lite';
import { PROTOCOL_VERSION, RECENT_HITS } from './constants.ts';
import type { RoundPatch, Snapshot, SnapshotDelta } from './protocol.ts';
import type { RoundState } from './round-state.ts';

/** The top-level fields a delta carries whole when they changed (`room` never changes; `round` is patched). */
const WHOLE_FIELDS = ['previous', 'upNext', 'shoutouts', 'chatFeed', 'chatOpen', 'odds', 'fighters', 'season'] as const;

/**
 * Deep equality of JSON data, whatever the order of keys (the round reducer does not keep it): dequal's lite build,
 * a few hundred bytes, for plain objects and arrays.
 */
const same = (a: unknown, b: unknown) => dequal(a, b);

/**
 * The delta that turns `prev` into `next`, or null when only a full snapshot can say it (another room, a seq that
 * does not move forward, a field that disappeared). A delta is checked by applying it before it is returned, so
 * whatever the diff cannot express exactly goes out as a snapshot instead of as a wrong delta.
 */
export function diffSnapshots(prev: Snapshot, next: Snapshot): SnapshotDelta | null {
  if (prev.room !== next.room || next.seq <= prev.seq) return null;
  const delta: SnapshotDelta = { type: 'delta', v: PROTOCOL_VERSION, seq: next.seq, base: prev.seq, now: next.now };
  for (const key of WHOLE_FIELDS) {
    if (same(prev[key], next[key])) continue;
    if (next[key] === undefined) return null;
    Object.assign(delta, { [key]: next[key] });
  }
  const patch = prev.round.pollId === next.round.pollId ? patchRound(prev.round, next.round) : null;
  if (patch === null) delta.round = next.round;
  else if (Object.keys(patch).length > 0) delta.roundPatch = patch;
  return same(applyDelta(prev, delta), next) ? delta : null;
}

/** The changed fields of one round, or null when the change is not a patch (a field removed, hits not appended). */
function patchRound(prev: RoundState, next: RoundState): RoundPatch | null {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys({ ...prev, ...next }) as (keyof RoundState)[]) {
    if (key === 'hits' || key === 'pollId' || same(prev[key], next[key])) continue;
    if (next[key] === undefined) return null;
    patch[key] = next[key];
  }
  const lastN = prev.hits.at(-1)?.n ?? 0;
  const added = next.hits.filter((h) => h.n > lastN);
  if (added.length > 0) patch.hitsAdded = added;
  return patch as RoundPatch;
}

/** `base` with `delta` applied. The caller checks `delta.base === base.seq` (RoomFeed does). */
export function applyDelta(base: Snapshot, delta: SnapshotDelta): Snapshot {
  const next: Snapshot = { ...base, seq: delta.seq, now: delta.now };
  for (const key of WHOLE_FIELDS) if (delta[key] !== undefined) Object.assign(next, { [key]: delta[key] });
  if (delta.round) next.round = delta.round;
  else if (delta.roundPatch) {
    const { hitsAdded, ...fields } = delta.roundPatch;
    next.round = { ...base.round, ...fields, hits: hitsAdded ? [...base.round.hits, ...hitsAdded].slice(-RECENT_HITS) : base.round.hits };
  }
  return next;
}

/** What a client did with a message: used it, dropped it as old, or found it missed one (then: resync). */
export type FeedResult = 'applied' | 'stale' | 'gap';

/**
 * A client's copy of the room's state, kept from snapshots and deltas. A snapshot replaces it unless it is older;
 * a delta applies only on the exact state it was made from, so a lost, late or reordered message is never applied
 * on the wrong state: the client asks for a resync instead and shows what it has until the snapshot comes.
 */
export class RoomFeed {
  private current: Snapshot | null = null;

  get state(): Snapshot | null {
    return this.current;
  }

  receive(message: Snapshot | SnapshotDelta): FeedResult {
    const held = this.current;
    if (message.type === 'snapshot') {
      // Equal seq is the same state (a resync answered while the deltas caught up): taking it costs nothing.
      if (held && message.seq < held.seq) return 'stale';
      this.current = message;
      return 'applied';
    }
    if (held && message.seq <= held.seq) return 'stale';
    if (!held || message.base !== held.seq) return 'gap';
    this.current = applyDelta(held, message);
    return 'applied';
  }
}

/** What a client sends when RoomFeed says 'gap' (the Resync message of protocol.ts). */
export const RESYNC_MESSAGE = JSON.stringify({ type: 'resync', v: PROTOCOL_VERSION });

/** A viewer's keep-alive (protocol.ts Ping), every VIEWER_PING_MS, with the seq of the state it holds. */
export function pingMessage(seq: number | undefined): string {
  return JSON.stringify(seq === undefined ? { type: 'ping', v: PROTOCOL_VERSION } : { type: 'ping', v: PROTOCOL_VERSION, seq });
}
