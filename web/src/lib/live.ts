/**
 * The room's live feed for the pages: partysocket on /parties/arena/<room> (it reconnects by itself).
 * Messages are parsed to unknown and checked before use. The room sends a whole snapshot on connect and then
 * deltas (core/snapshot-delta.ts): RoomFeed applies each on the exact state it was made from and says when one
 * went missing, and the page asks for a resync. A state older than the last one shown (by seq) is not shown, so
 * a late or replayed message can never move the page backwards.
 */
import PartySocket from 'partysocket';
import type { Snapshot, SnapshotDelta } from '@stream-fighter/core';
// The module itself, not the package index: the index brings the zod schemas with it.
import { RESYNC_MESSAGE, RoomFeed, pingMessage } from '@stream-fighter/core/snapshot-delta';
import { VIEWER_PING_MS } from '@stream-fighter/core/constants';

/** Structural check of what the page reads from a snapshot (no zod on phones: it would triple the script). */
export function isSnapshot(m: unknown): m is Snapshot {
  if (typeof m !== 'object' || m === null) return false;
  const s = m as Record<string, unknown>;
  const round = s.round as Record<string, unknown> | undefined;
  const matchup = round?.matchup as Record<string, unknown> | undefined;
  return (
    s.type === 'snapshot' &&
    Number.isInteger(s.seq) &&
    typeof s.now === 'number' &&
    typeof round?.pollId === 'string' &&
    typeof round.phase === 'string' &&
    typeof round.votes === 'object' &&
    typeof round.hp === 'object' &&
    Array.isArray(matchup?.options)
  );
}

/** Structural check of a delta's frame; its fields are the snapshot's, from the same room. */
export function isDelta(m: unknown): m is SnapshotDelta {
  if (typeof m !== 'object' || m === null) return false;
  const d = m as Record<string, unknown>;
  const obj = (x: unknown) => x === undefined || (typeof x === 'object' && x !== null);
  return d.type === 'delta' && Number.isInteger(d.seq) && Number.isInteger(d.base) && typeof d.now === 'number' && obj(d.round) && obj(d.roundPatch);
}

export interface Live {
  /** The seq of the newest state applied so far (snapshots and vote replies share it). */
  readonly lastSeq: number;
  /** Record a state applied from elsewhere (the poll fetch, a vote reply) so older snapshots are ignored. */
  saw(seq: number): void;
  close(): void;
}

export interface LiveOptions {
  /** Extra connection parameters: the dashboard connects as `role=operator` with its token. */
  query?: Record<string, string>;
  /** Every parsed message that is not a snapshot (the operator's `moderation` queue). */
  onMessage?: (m: unknown) => void;
}

export function connectLive(
  room: string,
  onSnapshot: (s: Snapshot) => void,
  onOnline: (online: boolean) => void,
  options: LiveOptions = {},
): Live {
  let lastSeq = -1;
  let feed = new RoomFeed();
  const socket = new PartySocket({ host: location.host, party: 'arena', room, ...(options.query ? { query: options.query } : {}) });
  socket.addEventListener('open', () => {
    // Each connection starts with a whole snapshot; the state of the last one must not meet its deltas.
    feed = new RoomFeed();
    onOnline(true);
  });
  socket.addEventListener('close', () => onOnline(false));
  socket.addEventListener('message', (e: MessageEvent) => {
    let data: unknown;
    try {
      data = JSON.parse(String(e.data));
    } catch {
      return;
    }
    if (!isSnapshot(data) && !isDelta(data)) {
      options.onMessage?.(data);
      return;
    }
    const result = feed.receive(data);
    if (result === 'gap') socket.send(RESYNC_MESSAGE);
    // The feed keeps every state in order; a vote reply (saw) may have shown a newer one already. One of the same
    // seq is the same state, whole: it carries what the poll answer does not (the fighters' cards, the odds), so it
    // is shown too.
    const state = feed.state;
    if (result !== 'applied' || !state || state.seq < lastSeq) return;
    lastSeq = state.seq;
    onSnapshot(state);
  });
  // The room closes a viewer it hears nothing from, or one too far behind (a link too slow for its updates): the
  // ping says we are here, and the seq we hold.
  const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send(pingMessage(feed.state?.seq)), VIEWER_PING_MS);
  return {
    get lastSeq() {
      return lastSeq;
    },
    saw(seq) {
      if (seq > lastSeq) lastSeq = seq;
    },
    close: () => {
      clearInterval(ping);
      socket.close();
    },
  };
}
