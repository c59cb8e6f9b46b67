/**
 * The room's live feed for the pages: partysocket on /parties/arena/<room> (it reconnects by itself).
 * Messages are parsed to unknown and checked before use; a snapshot older than the last one applied (by seq)
 * is dropped, so a late or replayed message can never move the page backwards.
 */
import PartySocket from 'partysocket';
import type { Snapshot } from '@stream-fighter/core';

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
  const socket = new PartySocket({ host: location.host, party: 'arena', room, ...(options.query ? { query: options.query } : {}) });
  socket.addEventListener('open', () => onOnline(true));
  socket.addEventListener('close', () => onOnline(false));
  socket.addEventListener('message', (e: MessageEvent) => {
    let data: unknown;
    try {
      data = JSON.parse(String(e.data));
    } catch {
      return;
    }
    if (!isSnapshot(data)) {
      options.onMessage?.(data);
      return;
    }
    if (data.seq <= lastSeq) return;
    lastSeq = data.seq;
    onSnapshot(data);
  });
  return {
    get lastSeq() {
      return lastSeq;
    },
    saw(seq) {
      if (seq > lastSeq) lastSeq = seq;
    },
    close: () => socket.close(),
  };
}
