/**
 * The seed's data, as its services keep it in Redis and send it (24hwww/stream-fighter: stream-screen's
 * PollService and fighterStateService, stream-socket/index.js): the key names and the shapes, shared by the
 * re-created API, the re-created Socket.IO tier and the benchmark's viewers.
 */

/** The poll as the seed's API caches it (a Prisma row with its two options and their vote counts). */
export interface SeedOption {
  id: string;
  name: string;
  image: string | null;
  _count: { votes: number };
}
export interface SeedPoll {
  id: string;
  createdAt: string;
  expiresAt: string;
  active: boolean;
  category: { id: string; name: string };
  optionA: SeedOption;
  optionB: SeedOption;
}

export interface SeedFighter {
  hp: number;
  lastHit: number;
  animation: string;
  lastActionTime?: number;
  prevVotes?: number;
}

/** The fight state the tier keeps under `fighter:<pollId>` and broadcasts whole every tick. */
export interface SeedFight {
  pollId: string;
  fighterA: SeedFighter;
  fighterB: SeedFighter;
  events: unknown[];
  timer?: number;
  lastUpdate?: number;
  combatOver?: boolean;
  winner?: 'A' | 'B';
}

export interface Heartbeat {
  pollId: string;
  combatState: SeedFight;
  ts: number;
}

export const KEYS = {
  currentPollId: 'current_poll_id',
  currentPoll: 'current_poll_full',
  fight: (pollId: string) => `fighter:${pollId}`,
  votes: (pollId: string, optionId: string) => `votes_count_${pollId}_${optionId}`,
} as const;

/** How long the seed keeps each key (s). */
export const TTL = { currentPollId: 3_600, currentPoll: 305, currentPollOnRead: 300, fight: 3_600 } as const;
