/**
 * What the room shows, built in one place: the snapshot its connections are sent (and Redis keeps a copy of,
 * snapshot-cache.ts), the poll response GET /api/poll answers with, from the room or from that copy, and the
 * room's health.
 */
import { PROTOCOL_VERSION, timeLeftMs, type ChatFeedEntry, type FighterCard, type Matchup, type OptionId, type PollResponse, type RoundOdds, type RoundResult, type RoundState, type SeasonOnAir, type Shoutout, type Snapshot } from '@stream-fighter/core';

/** The public state every view is made of. A Snapshot is one too, so a cached snapshot makes a poll response. */
export interface RoomView {
  seq: number;
  round: RoundState;
  previous: RoundResult | null;
  upNext: Matchup | null;
}

/** What the snapshot carries besides the round: each from the module that keeps it. */
export type SnapshotParts = {
  shoutouts: Shoutout[];
  chatFeed: ChatFeedEntry[];
  chatOpen: boolean;
  odds: RoundOdds;
  fighters?: Partial<Record<OptionId, FighterCard>> | undefined;
  season: SeasonOnAir;
};

export function snapshotView(room: string, view: RoomView, now: number, parts: SnapshotParts): Snapshot {
  const { fighters, ...rest } = parts;
  const snapshot: Snapshot = { type: 'snapshot', v: PROTOCOL_VERSION, seq: view.seq, room, now, round: view.round, previous: view.previous, upNext: view.upNext, ...rest };
  if (fighters) snapshot.fighters = fighters;
  return snapshot;
}

/** `myVote` is the caller's own vote in this round: null for an anonymous caller, and always from the cache. */
export function pollView(view: RoomView, now: number, myVote: OptionId | null, chatOpen: boolean, fighters?: Partial<Record<OptionId, FighterCard>>, season?: SeasonOnAir): PollResponse {
  return {
    ...(fighters ? { fighters } : {}),
    ...(season ? { season } : {}),
    type: 'poll',
    v: PROTOCOL_VERSION,
    seq: view.seq,
    now,
    round: view.round,
    timeLeftMs: timeLeftMs(view.round, now),
    previous: view.previous,
    upNext: view.upNext,
    myVote,
    chatOpen,
  };
}

export interface RoomHealth {
  ok: true;
  pollId: string;
  phase: string;
  seq: number;
  /** The Arena's own connections (viewers on relays are not counted here), and the relays it feeds. */
  connections: { viewer: number; renderer: number };
  relays: number[];
  queued: number;
  outbox: number;
}

export function healthView(view: RoomView, connections: RoomHealth['connections'], relays: number[], backlog: { queued: number; outbox: number }): RoomHealth {
  return { ok: true, pollId: view.round.pollId, phase: view.round.phase, seq: view.seq, connections, relays, ...backlog };
}
