/**
 * Every wire message and API body, as one schema each, shared by the edge, the render node, the site and the
 * tests. Each carries a `type` and a protocol version `v`: parse on receive, `satisfies` on send.
 */
import { z } from 'zod';
import { PROTOCOL_VERSION, RECENT_HITS } from './constants.ts';
import { OptionId } from './ids.ts';
import { Fighter, Matchup } from './matchup.ts';
import { Hit, RoundResult, RoundState } from './round-state.ts';
import { Screen, ScreenId } from './screen.ts';
import { SeasonOnAir } from './season/season-view.ts';
import { TIERS } from './season/tiers.ts';
import { text } from './text.ts';
import { FIGHTER_PAGE, FIGHTER_SORTS } from './fighter-sorts.ts';

export { PROTOCOL_VERSION };
const v = z.literal(PROTOCOL_VERSION);

/* ---------- stream control (desired state at the edge, actual state from renderers) ---------- */

// Screens (what a stream shows) have their own module; the stream messages below name and carry them.
export { ScreenId } from './screen.ts';
/** Stream keys go into RTMP URLs: keep them to URL-safe characters. */
export const StreamKey = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/, 'stream key may use A-Z a-z 0-9 _ . - only');

export const StreamStatus = z.object({
  streamKey: StreamKey,
  state: z.enum(['starting', 'live', 'retrying', 'stopped', 'error']),
  fps: z.number().nonnegative(),
  speed: z.number().nonnegative(),
  droppedFrames: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  uptimeSec: z.number().nonnegative(),
  error: text().max(300).optional(),
});
export type StreamStatus = z.infer<typeof StreamStatus>;

export const StreamEntry = z.object({
  screenId: ScreenId,
  /** The screen as configured now, resolved by the room, so a renderer needs nothing else to draw the stream. */
  screen: Screen,
  streamKey: StreamKey,
  createdAt: z.number(),
  /** Last status a renderer reported, with who reported it and when. */
  status: StreamStatus.extend({ renderer: z.string(), reportedAt: z.number() }).nullable(),
  /**
   * The render node that holds this stream's lease (its connection id and name) and until when (room time); null
   * while no renderer holds it. Absent from rooms older than leases.
   */
  lease: z.object({ renderer: z.string(), node: z.string(), until: z.number() }).nullable().optional(),
});
export type StreamEntry = z.infer<typeof StreamEntry>;

/* ---------- room → client (WebSocket) ---------- */

export const Shoutout = z.object({
  id: z.string(),
  user: z.string(),
  message: z.string(),
  at: z.number(),
});
export type Shoutout = z.infer<typeof Shoutout>;

/** Most chat voters the stream's feed shows at once (the room admits at most a few names a second to it). */
export const CHAT_FEED_MAX = 5;

/** A chat voter on the stream's feed ("gamer42 → GRIZZLE"): the name as chat shows it, already through the shout-out filter. */
export const ChatFeedEntry = z.object({
  name: z.string(),
  /** An option of the snapshot's round: the feed holds only the live round's voters. */
  option: OptionId,
  /** When the room put it on the feed (room time, ms epoch). */
  at: z.number(),
});
export type ChatFeedEntry = z.infer<typeof ChatFeedEntry>;

/** Points of play money: whole and never negative (season/parimutuel.ts). */
const points = z.number().int().nonnegative();

/** The pools of a round (season/parimutuel.ts liveOdds): what one point staked on a side returns if it wins. */
export const RoundOdds = z.object({
  pollId: z.string(),
  /** Bets are taken until `closesAt` (room time: when the round goes live). */
  open: z.boolean(),
  closesAt: z.number(),
  /**
   * How far viewers' players lag the room (STREAM_DELAY_MS): the stream shows bets open only until `closesAt` less
   * this, so what airs never shows them open after they closed. Absent from rooms older than the setting: 0.
   */
  streamDelayMs: z.number().int().nonnegative().optional(),
  total: points,
  sides: z.array(z.object({ option: OptionId, pool: points, bettors: points, multiplier: z.number().positive().nullable() })),
});
export type RoundOdds = z.infer<typeof RoundOdds>;

/**
 * A fighter's card on stream ("S · 14-3", NEW, a streak flame): its tier and record as they stood when its round
 * began (season/tiers.ts, season/record.ts). A fighter with no recorded fight is a debut: tier N, 0-0-0.
 */
export const FighterCard = z.object({
  tier: z.enum(TIERS),
  wins: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
  ties: z.number().int().nonnegative(),
  /** Positive: wins in a row; negative: losses in a row; 0 after a tie or before the first fight. */
  streak: z.number().int(),
  debut: z.boolean(),
});
export type FighterCard = z.infer<typeof FighterCard>;

export const Snapshot = z.object({
  type: z.literal('snapshot'),
  v,
  /** Monotonic per room, across rounds and restarts: clients drop any snapshot older than the last they applied. */
  seq: z.number().int().nonnegative(),
  room: z.string(),
  /** Server time the snapshot was taken (ms epoch), so clients can correct their clocks. */
  now: z.number(),
  round: RoundState,
  previous: RoundResult.nullable(),
  upNext: Matchup.nullable(),
  shoutouts: z.array(Shoutout).max(20),
  /** The latest chat voters of the live round, oldest first; absent from rooms older than chat votes. */
  chatFeed: z.array(ChatFeedEntry).max(CHAT_FEED_MAX).optional(),
  /**
   * Chat votes are open: a chat source not paused reported `connected` (or sent votes) within the last 30 s
   * (CHAT_SOURCE_STALE_MS). Only then do the stream, the overlay and the vote page ask for chat votes; absent (rooms
   * older than chat votes) is closed.
   */
  chatOpen: z.boolean().optional(),
  /** The live betting pools of the round (its intro is the betting window); absent from rooms older than bets. */
  odds: RoundOdds.optional(),
  /**
   * The cards of the round's two fighters, by option, once the room has read them from the season's records (a
   * moment after the round begins); absent for a plain poll, until they come, or when Postgres did not answer.
   */
  fighters: z.partialRecord(OptionId, FighterCard).optional(),
  /** Where the season's cycle is, and the tournament's bracket while there is one to show; absent from rooms older than the cycle. */
  season: SeasonOnAir.optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/**
 * What changed in a round that is still the same round (same pollId) since the base snapshot: the fields that
 * changed, and the hits added since (the snapshot keeps only the last RECENT_HITS, so a client appends and trims).
 */
export const RoundPatch = RoundState.omit({ pollId: true, hits: true }).partial().extend({ hitsAdded: z.array(Hit).min(1).max(RECENT_HITS).optional() });
export type RoundPatch = z.infer<typeof RoundPatch>;

/**
 * Sent to viewers after their first snapshot: the changes from the snapshot numbered `base` to the one numbered
 * `seq` (snapshot-delta.ts). A top-level field is present only when it changed, and then whole. A client holding
 * any other seq than `base` has missed a message: it sends `resync` and gets a full snapshot.
 */
export const SnapshotDelta = z.object({
  type: z.literal('delta'),
  v,
  seq: z.number().int().nonnegative(),
  base: z.number().int().nonnegative(),
  now: z.number(),
  /** The whole round, when a new one began since `base`; else `roundPatch`, when it changed. */
  round: RoundState.optional(),
  roundPatch: RoundPatch.optional(),
  previous: Snapshot.shape.previous.optional(),
  upNext: Snapshot.shape.upNext.optional(),
  shoutouts: Snapshot.shape.shoutouts.optional(),
  chatFeed: Snapshot.shape.chatFeed,
  chatOpen: Snapshot.shape.chatOpen,
  odds: Snapshot.shape.odds,
  fighters: Snapshot.shape.fighters,
  season: Snapshot.shape.season,
});
export type SnapshotDelta = z.infer<typeof SnapshotDelta>;

/** The shortest lease a room grants (render-leases.ts): renewals come with every status report, a second apart. */
export const LEASE_MS_MIN = 500;

/**
 * Sent to renderers only: the streams this renderer should be running. With `leaseMs` (rooms that assign streams
 * to one renderer each), each of them may be published until `leaseMs` after this message arrived, and longer only
 * when a `lease` renews it; a stream not in the list must not be published. Without it, every renderer runs every
 * stream for as long as it is listed (an older room).
 */
export const StreamsDesired = z.object({
  type: z.literal('streams'),
  v,
  streams: z.array(StreamEntry),
  leaseMs: z.number().int().min(LEASE_MS_MIN).optional(),
  /** Numbers this grant, as `Lease.seq` does; the renderer reports the last one it applied. */
  leaseSeq: z.number().int().nonnegative().optional(),
});
export type StreamsDesired = z.infer<typeof StreamsDesired>;

/**
 * Sent to a renderer in answer to its status report: its leases on these streams run on for `leaseMs` from when
 * this arrives. A stream the renderer holds that is not listed is not renewed, and stops when its lease runs out.
 */
export const Lease = z.object({
  type: z.literal('lease'),
  v,
  keys: z.array(StreamKey).max(32),
  leaseMs: z.number().int().min(LEASE_MS_MIN),
  /**
   * Increases with every grant the room sends ('streams' with leaseMs, 'lease'). The renderer reports the last one
   * it applied (`leaseSeq` in its stream-status), so the room knows when a shorter lease has replaced a longer one.
   */
  seq: z.number().int().nonnegative(),
});
export type Lease = z.infer<typeof Lease>;

/** A render node's name on the dashboard (`node` in its connection URL): its host name, or RENDER_NODE_NAME. */
export const RenderNodeName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'node name must be 1-64 letters, digits, _ . or -');
/** How many streams a render node says it can run at once (`capacity` in its connection URL). */
export const RenderCapacity = z.coerce.number().int().min(1).max(32);

export const Welcome = z.object({ type: z.literal('welcome'), v, role: z.enum(['viewer', 'renderer', 'operator']), connectionId: z.string() });
export type Welcome = z.infer<typeof Welcome>;

export const ErrorMessage = z.object({ type: z.literal('error'), v, code: z.string(), message: z.string() });
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** At most this many shout-outs wait for an operator; the room refuses more until some are decided. */
export const PENDING_SHOUTOUTS_MAX = 200;

/** A shout-out waiting for an operator, with the voter who sent it (so the operator can ban them). */
export const PendingShoutout = Shoutout.extend({ voterId: z.string() });
export type PendingShoutout = z.infer<typeof PendingShoutout>;

/** Sent to operators only, on connect and whenever it changes: the shout-outs waiting for a decision. */
export const Moderation = z.object({
  type: z.literal('moderation'),
  v,
  /** Oldest first. */
  pending: z.array(PendingShoutout).max(PENDING_SHOUTOUTS_MAX),
  /** On: shout-outs that pass the filter go on air at once. */
  autoApprove: z.boolean(),
});
export type Moderation = z.infer<typeof Moderation>;

export const ServerMessage = z.discriminatedUnion('type', [Snapshot, SnapshotDelta, StreamsDesired, Lease, Welcome, ErrorMessage, Moderation]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/* ---------- client → room (WebSocket) ---------- */

export const StreamReport = z.object({
  type: z.literal('stream-status'),
  v,
  streams: z.array(StreamStatus).max(32),
  /** The seq of the last lease grant the renderer applied (absent: none yet, or a renderer older than leases). */
  leaseSeq: z.number().int().nonnegative().optional(),
});
export type StreamReport = z.infer<typeof StreamReport>;

/** A keep-alive; a viewer's carries the seq of the last state it applied (VIEWER_PING_MS, VIEWER_STALL_MS). */
export const Ping = z.object({ type: z.literal('ping'), v, seq: z.number().int().nonnegative().optional() });
export type Ping = z.infer<typeof Ping>;

/** A viewer that missed a delta asks for the whole state again (answered with a snapshot, at most once a second). */
export const Resync = z.object({ type: z.literal('resync'), v });
export type Resync = z.infer<typeof Resync>;

export const ClientMessage = z.discriminatedUnion('type', [StreamReport, Ping, Resync]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/* ---------- HTTP API bodies ---------- */

/**
 * What a client without a voter session adds to its first vote to mint one: a solved ALTCHA challenge (the
 * widget's base64 payload, under the widget's own field name), the vote page's one-time ticket (no JavaScript), or
 * a Turnstile token where the edge is configured for Turnstile.
 */
/** The ALTCHA widget's own form field name, which the JSON body uses too. */
export const ALTCHA_FIELD = 'altcha' as const;
export const SessionProof = z.object({
  [ALTCHA_FIELD]: z.string().min(1).max(4096).optional(),
  ticket: z.string().min(1).max(200).optional(),
  turnstileToken: z.string().min(1).max(2048).optional(),
});
export type SessionProof = z.infer<typeof SessionProof>;

export const VoteRequest = z.strictObject({ pollId: text().min(1).max(64).optional(), option: OptionId, ...SessionProof.shape });
export type VoteRequest = z.infer<typeof VoteRequest>;

/** A voter of the site: the id inside a signed session (edge/src/voter/token.ts signs no other). */
export const SessionVoterId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'voter id must be 8-64 letters, digits, _ or -');
/** A chat account, namespaced by platform: what an authenticated bridge votes as. */
export const BridgeVoter = z.string().regex(/^(twitch|youtube):[A-Za-z0-9_-]{1,64}$/, 'voter must be twitch:<id> or youtube:<id>');
/** Any voter the room counts: a site session's id or a chat account (operator routes take either). */
export const VoterId = z.union([SessionVoterId, BridgeVoter], { error: 'voter id must be a session id (8-64 letters, digits, _ or -) or twitch:<id> / youtube:<id>' });

export const Tally = z.partialRecord(OptionId, z.number().int().nonnegative());

export const VoteAccepted = z.object({
  type: z.literal('vote-accepted'),
  v,
  vote: z.object({ pollId: z.string(), option: OptionId }),
  tally: Tally,
  hp: Tally,
  seq: z.number().int(),
  /**
   * The hit this vote landed, with the attacker's move by name as the stream shows it. Only in a fight (a plain
   * poll has no hits) and absent from rooms older than it: clients treat it as optional.
   */
  hit: Hit.pick({ n: true, attacker: true, target: true, kind: true, damage: true }).extend({ move: z.string() }).optional(),
});
export type VoteAccepted = z.infer<typeof VoteAccepted>;

export const PollResponse = z.object({
  type: z.literal('poll'),
  v,
  seq: z.number().int(),
  now: z.number(),
  round: RoundState,
  timeLeftMs: z.number().int().nonnegative(),
  previous: RoundResult.nullable(),
  upNext: Matchup.nullable(),
  /** The caller's own vote in this round, when a voter cookie came with the request. */
  myVote: OptionId.nullable(),
  /** As the snapshot's `chatOpen`: whether the vote page says chat works too. */
  chatOpen: z.boolean().optional(),
  /** As the snapshot's `fighters`: the round's fighter cards once the room has them. */
  fighters: Snapshot.shape.fighters,
  /** As the snapshot's `season`: where the cycle is, and the bracket while there is one. */
  season: Snapshot.shape.season,
});
export type PollResponse = z.infer<typeof PollResponse>;

export const GenerateRequest = z.strictObject({
  count: z.number().int().min(1).max(5).default(1),
  theme: text().trim().min(1).max(100).optional(),
});

/** An unknown (well-formed) screenId creates that screen with the defaults (screen.ts defaultScreen). */
export const StreamStartRequest = z.strictObject({ screenId: ScreenId.default('fight'), streamKey: StreamKey });
export const StreamStopQuery = z.object({ streamKey: StreamKey });

export const ShoutoutRequest = z.strictObject({
  user: text().trim().min(1).max(24),
  message: text().trim().min(1).max(140),
});
export type ShoutoutRequest = z.infer<typeof ShoutoutRequest>;

export const ShoutoutSettings = z.strictObject({ autoApprove: z.boolean() });
export type ShoutoutSettings = z.infer<typeof ShoutoutSettings>;

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.unknown()).optional() }) });
export type ApiError = z.infer<typeof ApiError>;

export const PollSummary = z.object({
  pollId: z.string(),
  title: z.string(),
  options: z.array(z.object({ id: OptionId, name: z.string(), votes: z.number().int(), hp: z.number().int() })),
  winner: OptionId.nullable(),
  reason: z.enum(['ko', 'timeout', 'rotate']),
  totalVotes: z.number().int(),
  startedAt: z.number(),
  finishedAt: z.number(),
});
export type PollSummary = z.infer<typeof PollSummary>;

export const PollList = z.object({ items: z.array(PollSummary), nextCursor: z.string().nullable() });
export type PollList = z.infer<typeof PollList>;

export const LeaderboardEntry = z.object({ fighter: z.string(), wins: z.number().int() });
/** GET /api/leaderboard without `kind`: fighters by wins over every round (the Redis tally), as old clients read it. */
export const WinsLeaderboard = z.object({ items: z.array(LeaderboardEntry) });
export type WinsLeaderboard = z.infer<typeof WinsLeaderboard>;

/* -------------------- fighters of the season (GET /api/fighters, GET /api/fighters/:id) -------------------- */

/** A fighter's id: a slug of its name and a hash of the exact name (season/record.ts fighterId), e.g. "el-tornado-1x9k2c". */
export const FighterId = z.string().max(64).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'fighter id is lower-case letters and digits joined by -');

export { FIGHTER_PAGE, FIGHTER_SORTS, type FighterSort } from './fighter-sorts.ts';

/** GET /api/fighters' query: best first by `sort` (name: A to Z; recent: latest fight first). */
export const FightersQuery = z.object({
  sort: z.enum(FIGHTER_SORTS).default('rating'),
  limit: z.coerce.number().int().min(FIGHTER_PAGE.min).max(FIGHTER_PAGE.max).default(FIGHTER_PAGE.default),
});
export type FightersQuery = z.infer<typeof FightersQuery>;

const count = z.number().int().nonnegative();

/** One fighter's standing: the look it debuted with, its record, Elo rating and tier. Times are ms epoch. */
export const FighterSummary = z.object({
  id: FighterId,
  name: z.string(),
  fighter: Fighter,
  tier: z.enum(TIERS),
  rating: z.number().int(),
  wins: count,
  losses: count,
  ties: count,
  /** Wins by KO. */
  kos: count,
  /** Positive: wins in a row; negative: losses in a row; 0 after a tie. */
  streak: z.number().int(),
  fights: count,
  firstFoughtAt: z.number().nullable(),
  lastFoughtAt: z.number().nullable(),
  /** Retired by an operator. */
  retired: z.boolean(),
  /** Picked by matchmaking: not retired and has fought recently. */
  active: z.boolean(),
});
export type FighterSummary = z.infer<typeof FighterSummary>;

export const FighterList = z.object({ sort: z.enum(FIGHTER_SORTS), items: z.array(FighterSummary) });
export type FighterList = z.infer<typeof FighterList>;

export const FighterFight = z.object({
  pollId: z.string(),
  /** When the round finished, ms epoch. */
  at: z.number(),
  result: z.enum(['win', 'loss', 'tie']),
  reason: z.enum(['ko', 'timeout', 'rotate']),
  opponent: z.object({ id: FighterId, name: z.string() }),
  ratingBefore: z.number().int(),
  ratingAfter: z.number().int(),
});
export type FighterFight = z.infer<typeof FighterFight>;

export const FighterPage = z.object({
  fighter: FighterSummary,
  /** The rating before the oldest fight shown, then after each fight, oldest first (at most 201 points). */
  ratingHistory: z.array(z.object({ at: z.number(), rating: z.number().int() })),
  /** The latest fights, newest first. */
  recent: z.array(FighterFight),
});
export type FighterPage = z.infer<typeof FighterPage>;

/* -------------------- predictions with play money (POST /api/bet, GET /api/me) -------------------- */


/**
 * A stake on one option of the round in its intro (the betting window). Follows the vote's rules: the voter's
 * session, or the proof that mints one. `pollId` is required, so a late bet can never land on the next match.
 */
export const BetRequest = z.strictObject({
  pollId: text().min(1).max(64),
  option: OptionId,
  points: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  ...SessionProof.shape,
});
export type BetRequest = z.infer<typeof BetRequest>;

/** A bet as the room holds it: placed in `pollId`'s intro, at room time `at`. */
export const PlacedBet = z.object({ pollId: z.string(), option: OptionId, points: z.number().int().positive(), at: z.number() });
export type PlacedBet = z.infer<typeof PlacedBet>;


export const BetAccepted = z.object({
  type: z.literal('bet-accepted'),
  v,
  bet: PlacedBet,
  /** The balance after the stake left it. */
  balance: points,
  odds: RoundOdds,
});
export type BetAccepted = z.infer<typeof BetAccepted>;

/** A settled bet: `payout` is what came back (the stake included; 0 for a loss), `net` the gain or loss. */
export const BetResult = PlacedBet.extend({
  payout: points,
  net: z.number().int(),
  /** The round's winner; null is a tie. */
  winner: OptionId.nullable(),
  /** Why every stake was handed back, when it was (a tie, or a side nobody backed); null when the bet was paid or lost. */
  refund: z.enum(['tie', 'no-winners', 'no-losers']).nullable(),
  /** Points granted after this settlement to bring the balance back to the floor (0 when none were). */
  bailout: points,
  settledAt: z.number(),
});
export type BetResult = z.infer<typeof BetResult>;

/**
 * A viewer's public pseudonym: six hex digits of a hash of their voter id (edge/src/room/bet-book.ts viewerName),
 * which says nothing about the voter and cannot be turned back into their id. Pages write it as "Viewer 3F9A2C"
 * (the `viewer.name` word); the viewers' leaderboard and GET /api/me carry the same one, so a page can find the
 * caller's own row.
 */
export const ViewerName = z.string().regex(/^[0-9A-F]{6}$/, 'a viewer name is six upper-case hex digits');
export type ViewerName = z.infer<typeof ViewerName>;

/** GET /api/me: the caller's points, their open bet in the current round, their last settled bet, the live odds. */
export const MeResponse = z.object({
  type: z.literal('me'),
  v,
  /** The caller's pseudonym, as the viewers' leaderboard shows it. */
  name: ViewerName,
  balance: points,
  bet: PlacedBet.nullable(),
  lastResult: BetResult.nullable(),
  odds: RoundOdds,
});
export type MeResponse = z.infer<typeof MeResponse>;

/* -------------------- the season's leaderboards (GET /api/leaderboard?kind=fighters|viewers) -------------------- */

export const LEADERBOARD_KINDS = ['fighters', 'viewers'] as const;
export type LeaderboardKind = (typeof LEADERBOARD_KINDS)[number];
/** How many rows each kind of leaderboard has at most. */
export const LEADERBOARD_SIZE = 20;

/** A fighter on the season's leaderboard: its standing, without the look (GET /api/fighters/:id has that). */
export const FighterStanding = FighterSummary.pick({ id: true, name: true, tier: true, rating: true, wins: true, losses: true, ties: true });
export type FighterStanding = z.infer<typeof FighterStanding>;

/** `?kind=fighters`: the season's fighters by Elo rating, best first (ties: by id). */
export const FighterLeaderboard = z.object({ kind: z.literal('fighters'), items: z.array(FighterStanding).max(LEADERBOARD_SIZE) });
export type FighterLeaderboard = z.infer<typeof FighterLeaderboard>;

/**
 * A viewer on the leaderboard: their pseudonym and play-money balance. Equal balances share a rank (1, 2, 2, 4);
 * their order is who reached it first, then a fixed order of voter ids.
 */
export const ViewerStanding = z.object({ rank: z.number().int().positive(), name: ViewerName, balance: points });
export type ViewerStanding = z.infer<typeof ViewerStanding>;

/** `?kind=viewers`: the highest balances of voters who have bet (banned voters left out). */
export const ViewerLeaderboard = z.object({ kind: z.literal('viewers'), items: z.array(ViewerStanding).max(LEADERBOARD_SIZE) });
export type ViewerLeaderboard = z.infer<typeof ViewerLeaderboard>;
