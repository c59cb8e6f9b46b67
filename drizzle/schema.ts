/**
 * The durable archive: what the live room forgets (finished rounds, fighters' records, shoutouts, desired streams).
 * The room keeps the live state; Postgres keeps history. Insert validators are derived from these tables, so an API
 * body that passes them fits the columns.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import { Fighter, Matchup } from '@stream-fighter/core/matchup';
import { Outcome } from '@stream-fighter/core/round-state';
import { ScreenId, StreamKey } from '@stream-fighter/core/protocol';
import type { OptionId } from '@stream-fighter/core/ids';

/** Votes or HP per option id, as in core's RoundResult. */
type Tally = Partial<Record<OptionId, number>>;

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A fighter is identified by its display name: two matchups naming the same fighter share one record. */
export const fighters = pgTable('fighters', {
  name: text('name').primaryKey(),
  archetype: text('archetype').notNull(),
  color: text('color').notNull(),
  tagline: text('tagline').notNull(),
  moves: jsonb('moves').$type<Fighter['moves']>().notNull(),
  wins: integer('wins').notNull().default(0),
  firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The season's fighters (issue 14): a record and an Elo rating per fighter, updated once per finished fight by
 * edge/src/db/fighters.ts with the rules of core/src/season. Keyed by core's fighterId(name) (a slug plus a hash of
 * the name: record.ts says why). Separate from `fighters` above, which counts the winner of every round, plain
 * polls included, for the old leaderboard.
 */
export const fighterRecords = pgTable(
  'fighter_records',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The core Fighter (name, archetype, colour, tagline, moves) as it debuted: its look stays the one viewers met. */
    fighter: jsonb('fighter').$type<Fighter>().notNull(),
    rating: integer('rating').notNull(),
    wins: integer('wins').notNull().default(0),
    losses: integer('losses').notNull().default(0),
    ties: integer('ties').notNull().default(0),
    /** Wins by KO. */
    kos: integer('kos').notNull().default(0),
    /** Positive: wins in a row; negative: losses in a row; 0 after a tie. */
    streak: integer('streak').notNull().default(0),
    /** Fights recorded; also the row's version: a write says which version it read (fighters.ts). */
    fights: integer('fights').notNull().default(0),
    firstFoughtAt: timestamp('first_fought_at', { withTimezone: true }),
    lastFoughtAt: timestamp('last_fought_at', { withTimezone: true }),
    /** Set by an operator: never matched again, the page stays. Idle fighters retire by matchmaking's own rule. */
    retired: boolean('retired').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('fighter_records_rating_idx').on(t.rating.desc(), t.id),
    index('fighter_records_last_fought_idx').on(t.lastFoughtAt.desc()),
    check('fighter_records_counts_check', sql`${t.fights} = ${t.wins} + ${t.losses} + ${t.ties} and ${t.kos} between 0 and ${t.wins} and least(${t.wins}, ${t.losses}, ${t.ties}) >= 0`),
  ],
);

export const FIGHT_RESULTS = ['win', 'loss', 'tie'] as const;

/** One row per fighter per recorded fight: the rating history and the recent fights of a fighter's page. */
export const fighterResults = pgTable(
  'fighter_results',
  {
    pollId: text('poll_id').notNull(),
    fighterId: text('fighter_id')
      .notNull()
      .references(() => fighterRecords.id),
    opponentId: text('opponent_id')
      .notNull()
      .references(() => fighterRecords.id),
    /** The option the fighter had in the round (A or B). */
    option: text('option').notNull(),
    result: text('result', { enum: FIGHT_RESULTS }).notNull(),
    reason: text('reason', { enum: ['ko', 'timeout', 'rotate'] }).notNull(),
    ratingBefore: integer('rating_before').notNull(),
    ratingAfter: integer('rating_after').notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The primary key is what makes a round count once: a second insert for the same poll and fighter conflicts.
    primaryKey({ columns: [t.pollId, t.fighterId] }),
    index('fighter_results_fighter_idx').on(t.fighterId, t.finishedAt.desc()),
    check('fighter_results_result_check', sql`${t.result} in ('win', 'loss', 'tie')`),
  ],
);

export const matchups = pgTable('matchups', {
  pollId: text('poll_id').primaryKey(),
  title: text('title').notNull(),
  stage: text('stage').notNull(),
  /** The full core Matchup as it was played; title, stage and source are copied out for querying. */
  matchup: jsonb('matchup').$type<Matchup>().notNull(),
  source: text('source').notNull(),
  createdAt: createdAt(),
});

export const results = pgTable(
  'results',
  {
    pollId: text('poll_id')
      .primaryKey()
      .references(() => matchups.pollId),
    /** Option id of the winner; null is a tie. */
    winner: text('winner'),
    reason: text('reason', { enum: ['ko', 'timeout', 'rotate'] }).notNull(),
    votes: jsonb('votes').$type<Tally>().notNull(),
    hp: jsonb('hp').$type<Tally>().notNull(),
    totalVotes: integer('total_votes').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  // poll_id is in the index so keyset pagination on (finished_at, poll_id) reads it in order without sorting.
  (t) => [index('results_finished_at_idx').on(t.finishedAt.desc(), t.pollId.desc())],
);

export const streams = pgTable('streams', {
  streamKey: text('stream_key').primaryKey(),
  /** A screen id (core/src/screen.ts): the screen's settings live in the room, which the stream history does not need. */
  screenId: text('screen_id').notNull(),
  createdAt: createdAt(),
  /** Set when an operator stops the stream; an active stream has none. */
  stoppedAt: timestamp('stopped_at', { withTimezone: true }),
});

/**
 * pending: waiting for an operator; visible: approved (or auto-approved) and on air; rejected: refused by an
 * operator (or its sender was banned) before airing; hidden: taken off air after it aired.
 */
export const SHOUTOUT_STATUSES = ['pending', 'visible', 'rejected', 'hidden'] as const;

export const shoutouts = pgTable(
  'shoutouts',
  {
    id: text('id').primaryKey(),
    userName: text('user_name').notNull(),
    message: text('message').notNull(),
    status: text('status', { enum: SHOUTOUT_STATUSES }).notNull().default('pending'),
    /** The voter session that sent it, so an operator can ban the sender; null for rows older than moderation. */
    voterId: text('voter_id'),
    /** Keyed hash of the sender's address prefix (edge/src/http/address.ts), never the address itself. */
    ipHash: text('ip_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    index('shoutouts_created_at_idx').on(t.createdAt.desc()),
    index('shoutouts_voter_id_idx').on(t.voterId),
    check('shoutouts_status_check', sql`${t.status} in ('pending', 'visible', 'rejected', 'hidden')`),
  ],
);

/* ---------- validators derived from the tables, narrowed by the core schemas where a column holds one ---------- */

export const FighterInsert = createInsertSchema(fighters, {
  name: Fighter.shape.name,
  archetype: Fighter.shape.archetype,
  color: Fighter.shape.color,
  tagline: Fighter.shape.tagline,
  moves: Fighter.shape.moves,
});
export const FighterRecordInsert = createInsertSchema(fighterRecords, {
  id: (s) => s.min(1).max(128).regex(/^[a-z0-9-]+$/),
  name: Fighter.shape.name,
  fighter: Fighter,
});
export const MatchupInsert = createInsertSchema(matchups, { matchup: Matchup, pollId: (s) => s.min(1).max(64) });
export const ResultInsert = createInsertSchema(results, {
  pollId: (s) => s.min(1).max(64),
  winner: Outcome.shape.winner,
  reason: Outcome.shape.reason,
  totalVotes: (s) => s.int().nonnegative(),
});
export const StreamInsert = createInsertSchema(streams, { streamKey: StreamKey, screenId: ScreenId });
export const ShoutoutInsert = createInsertSchema(shoutouts, {
  id: (s) => s.min(1).max(64),
  voterId: (s) => s.min(1).max(64),
  userName: (s) => s.trim().min(1).max(24),
  message: (s) => s.trim().min(1).max(140),
});
export const ShoutoutRow = createSelectSchema(shoutouts);

export type FighterRow = typeof fighters.$inferSelect;
export type FighterRecordRow = typeof fighterRecords.$inferSelect;
export type FighterResultRow = typeof fighterResults.$inferSelect;
export type MatchupRow = typeof matchups.$inferSelect;
export type ResultRow = typeof results.$inferSelect;
export type StreamRow = typeof streams.$inferSelect;
export type ShoutoutRow = typeof shoutouts.$inferSelect;
export type ShoutoutStatus = (typeof SHOUTOUT_STATUSES)[number];
