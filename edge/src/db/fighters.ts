/**
 * The season's fighters in Postgres: records and Elo ratings (core/src/season has the rules; this file only reads
 * and writes what they return), the per-fight rows behind a fighter's rating history, and the reads for the site.
 *
 * Exactly once per poll id. The room may record a round twice (a retry after a timeout or a restart) or two
 * rounds at once, and the Neon HTTP driver has no interactive transactions, so an update cannot be "read, compute,
 * write" in one transaction. Instead:
 *  1. one batch (one server-side transaction) creates any fighter seen for the first time, reads both records and
 *     checks whether this poll is already recorded;
 *  2. core computes both new records from what was read;
 *  3. ONE statement writes them: its first CTE locks both fighter rows (FOR UPDATE, in id order in every call, so
 *     two calls never hold one row each while waiting for the other's: in scan order they deadlocked) and checks
 *     that each still has the fight count that was read (the count is the row's version); only then does it insert
 *     the two per-fight rows (primary key poll id + fighter id, ON CONFLICT DO NOTHING), and it updates the two records
 *     only if both rows were inserted. A single statement is atomic, so the per-fight rows and the records change
 *     together or not at all.
 * A concurrent call for the same poll waits on the row locks, then finds a new fight count and writes nothing; a
 * concurrent call for another round of one of the fighters does the same. Either way the loser starts again at 1
 * and either finds the poll recorded or computes from the fresh records. Ratings are therefore applied in the
 * order rounds are recorded: finish order, except that a round whose archive attempt failed is recorded after
 * the rounds archived meanwhile (the archiver goes on with them). Elo depends on order, so a replay in finish
 * order can differ from the stored ratings by such swaps; each fight still counts exactly once.
 */
import { asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Fighter } from '@stream-fighter/core/matchup';
import { FIGHTER_PAGE, FIGHTER_SORTS } from '@stream-fighter/core/protocol';
import type { FighterSort } from '@stream-fighter/core/protocol';
import type { RoundResult } from '@stream-fighter/core/round-state';
import { isFight } from '@stream-fighter/core/round';
import { fightFromResult, NEW_RECORD, recordFight } from '@stream-fighter/core/season/record';
import type { FighterRecord, FightOutcome, FightSide } from '@stream-fighter/core/season/record';
import { assignTiers, TIER_DEFAULTS } from '@stream-fighter/core/season/tiers';
import type { Rated, Tier } from '@stream-fighter/core/season/tiers';
import { isEligible, MATCHMAKING_DEFAULTS } from '@stream-fighter/core/season/matchmaking';
import type { RosterEntry } from '@stream-fighter/core/season/matchmaking';
import { FighterRecordInsert, fighterRecords, fighterResults } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

/** Each failed attempt means another fight of one of these fighters was recorded in between: progress elsewhere. */
export const RECORD_ATTEMPTS = 5;

export type RecordedFight =
  | { recorded: true; fighters: { id: string; ratingBefore: number; ratingAfter: number }[] }
  | { recorded: false; reason: 'not-a-fight' | 'mirror' | 'already-recorded' };

const recordColumns = {
  id: fighterRecords.id,
  rating: fighterRecords.rating,
  wins: fighterRecords.wins,
  losses: fighterRecords.losses,
  ties: fighterRecords.ties,
  kos: fighterRecords.kos,
  streak: fighterRecords.streak,
  fights: fighterRecords.fights,
  firstFoughtAt: fighterRecords.firstFoughtAt,
  lastFoughtAt: fighterRecords.lastFoughtAt,
};
type RecordRow = { [K in keyof typeof recordColumns]: (typeof fighterRecords.$inferSelect)[K] };

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

function toRecord(r: RecordRow): FighterRecord {
  const { rating, wins, losses, ties, kos, streak, fights } = r;
  return { rating, wins, losses, ties, kos, streak, fights, firstFoughtAt: ms(r.firstFoughtAt), lastFoughtAt: ms(r.lastFoughtAt) };
}

/**
 * Applies a finished round (the result the archiver archives) to its two fighters' records, once per poll id.
 * Plain polls and mirror matches are not fights between two fighters and are skipped.
 */
export async function recordFighterResults(db: Db, result: RoundResult, options: { attempts?: number } = {}): Promise<RecordedFight> {
  const fight = fightFromResult(result);
  if (!fight) return { recorded: false, reason: isFight(result.matchup) ? 'mirror' : 'not-a-fight' };
  const { a, b } = fight;
  // Parsed by the validator derived from the table: a fighter that would not fit the columns fails here, whole.
  // In id order, as the rows are locked below: two calls inserting the same new fighters wait on each other's
  // inserts, and in opposite orders they would deadlock.
  const newcomers = [a, b].toSorted((x, y) => (x.id < y.id ? -1 : 1)).map((s) => FighterRecordInsert.parse({ id: s.id, name: s.fighter.name, fighter: s.fighter, rating: NEW_RECORD.rating }));
  const attempts = options.attempts ?? RECORD_ATTEMPTS;

  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [, read, done] = await db.batch([
      // A fighter keeps the look it debuted with: a returning name does not overwrite it.
      db.insert(fighterRecords).values(newcomers).onConflictDoNothing(),
      db.select(recordColumns).from(fighterRecords).where(inArray(fighterRecords.id, [a.id, b.id])),
      db.select({ pollId: fighterResults.pollId }).from(fighterResults).where(eq(fighterResults.pollId, result.pollId)).limit(1),
    ]);
    if (done.length > 0) return { recorded: false, reason: 'already-recorded' };
    const ra = read.find((r) => r.id === a.id);
    const rb = read.find((r) => r.id === b.id);
    if (!ra || !rb) throw new Error(`fighter records ${a.id} / ${b.id} missing right after their insert`);
    const next = recordFight(toRecord(ra), toRecord(rb), fight.outcome);
    const written = await db.execute<{ inserted: number }>(
      writeFight(result, fight, { a: ra, b: rb }, { a: next.a, b: next.b }),
    );
    if (Number(written.rows[0]?.inserted ?? 0) === 2) {
      return {
        recorded: true,
        fighters: [
          { id: a.id, ratingBefore: ra.rating, ratingAfter: next.a.rating },
          { id: b.id, ratingBefore: rb.rating, ratingAfter: next.b.rating },
        ],
      };
    }
  }
  throw new Error(`fighter records of poll ${result.pollId} changed during ${attempts} attempts in a row`);
}

type Fight = { a: FightSide; b: FightSide; outcome: FightOutcome };

/** The single guarded statement of step 3 (see the header). */
function writeFight(result: RoundResult, fight: Fight, read: { a: RecordRow; b: RecordRow }, next: { a: FighterRecord; b: FighterRecord }): SQL {
  const { a, b, outcome } = fight;
  const ts = (t: number | null) => (t === null ? sql`null::timestamptz` : sql`${new Date(t).toISOString()}::timestamptz`);
  const resultOf = (me: 'a' | 'b') => (outcome.winner === null ? 'tie' : outcome.winner === me ? 'win' : 'loss');
  const fightRow = (me: FightSide, opponent: FightSide, side: 'a' | 'b') =>
    sql`(${me.id}::text, ${opponent.id}::text, ${me.option}::text, ${resultOf(side)}::text, ${read[side].rating}::int, ${next[side].rating}::int)`;
  const recordRow = (id: string, r: FighterRecord) =>
    sql`(${id}::text, ${r.rating}::int, ${r.wins}::int, ${r.losses}::int, ${r.ties}::int, ${r.kos}::int, ${r.streak}::int, ${r.fights}::int, ${ts(r.firstFoughtAt)}, ${ts(r.lastFoughtAt)})`;
  return sql`
    with cur as (
      select id, fights from fighter_records where id in (${a.id}, ${b.id}) order by id for update
    ), unchanged as (
      select count(*) = 2 as ok from cur where (id = ${a.id} and fights = ${read.a.fights}) or (id = ${b.id} and fights = ${read.b.fights})
    ), ins as (
      insert into fighter_results (poll_id, fighter_id, opponent_id, "option", result, reason, rating_before, rating_after, finished_at)
      select ${result.pollId}::text, v.fighter_id, v.opponent_id, v.option, v.result, ${result.outcome.reason}::text, v.rating_before, v.rating_after, ${ts(result.finishedAt)}
      from (values ${fightRow(a, b, 'a')}, ${fightRow(b, a, 'b')}) as v(fighter_id, opponent_id, option, result, rating_before, rating_after)
      where (select ok from unchanged) and not exists (select 1 from fighter_results where poll_id = ${result.pollId})
      on conflict do nothing
      returning fighter_id
    ), upd as (
      update fighter_records f
      set rating = v.rating, wins = v.wins, losses = v.losses, ties = v.ties, kos = v.kos, streak = v.streak, fights = v.fights,
          first_fought_at = v.first_fought_at, last_fought_at = v.last_fought_at
      from (values ${recordRow(a.id, next.a)}, ${recordRow(b.id, next.b)})
        as v(id, rating, wins, losses, ties, kos, streak, fights, first_fought_at, last_fought_at)
      where f.id = v.id and (select count(*) from ins) = 2
      returning f.id
    )
    select (select count(*) from ins)::int as inserted, (select count(*) from upd)::int as updated`;
}

/* ---------------------------------------------- reads ---------------------------------------------- */

// The sorts and the page limits are the API's (protocol.ts FightersQuery), so the route and this module agree.
export { FIGHTER_PAGE, FIGHTER_SORTS };
export type { FighterSort };

export type FighterView = FighterRecord & {
  id: string;
  name: string;
  fighter: Fighter;
  retired: boolean;
  /** Picked by matchmaking: not retired and not idle past the retirement time. */
  active: boolean;
  tier: Tier;
};

export type TierSettings = { now?: number; retireAfterMs?: number; minFights?: number };

const viewColumns = { ...recordColumns, name: fighterRecords.name, fighter: fighterRecords.fighter, retired: fighterRecords.retired };
type ViewRow = RecordRow & { name: string; fighter: Fighter; retired: boolean };

const ORDER: Record<FighterSort, SQL[]> = {
  rating: [desc(fighterRecords.rating)],
  wins: [desc(fighterRecords.wins)],
  fights: [desc(fighterRecords.fights)],
  streak: [desc(fighterRecords.streak)],
  name: [asc(fighterRecords.name)],
  recent: [sql`${fighterRecords.lastFoughtAt} desc nulls last`],
};

/** The ranked field the tiers are measured against (newcomers are N whatever their rating). */
function fieldQuery(db: Db, minFights: number) {
  return db
    .select({ id: fighterRecords.id, rating: fighterRecords.rating, fights: fighterRecords.fights, retired: fighterRecords.retired, lastFoughtAt: fighterRecords.lastFoughtAt })
    .from(fighterRecords)
    .where(gte(fighterRecords.fights, minFights));
}

type FieldRow = { id: string; rating: number; fights: number; retired: boolean; lastFoughtAt: Date | null };

function tiered(rows: readonly ViewRow[], field: readonly FieldRow[], settings: TierSettings): FighterView[] {
  const now = settings.now ?? Date.now();
  const retireAfterMs = settings.retireAfterMs ?? MATCHMAKING_DEFAULTS.retireAfterMs;
  const active = (r: { retired: boolean; lastFoughtAt: Date | null }) => isEligible({ id: '', tier: 'N', retired: r.retired, lastFoughtAt: ms(r.lastFoughtAt) }, now, retireAfterMs);
  const rated = new Map<string, Rated>();
  for (const r of [...field, ...rows]) rated.set(r.id, { id: r.id, rating: r.rating, fights: r.fights, retired: !active(r) });
  const tiers = assignTiers([...rated.values()], { minFights: settings.minFights ?? TIER_DEFAULTS.minFights });
  return rows.map((r) => ({ ...toRecord(r), id: r.id, name: r.name, fighter: r.fighter, retired: r.retired, active: active(r), tier: tiers.get(r.id) ?? 'N' }));
}

/** A page of fighters, best first by `sort`; equal values go to the id, so the order is stable. */
export async function listFighters(db: Db, options: { sort?: FighterSort; limit?: number } & TierSettings = {}): Promise<FighterView[]> {
  const sort = options.sort ?? 'rating';
  const limit = options.limit ?? FIGHTER_PAGE.default;
  if (!Number.isInteger(limit) || limit < FIGHTER_PAGE.min || limit > FIGHTER_PAGE.max) {
    throw new RangeError(`limit must be an integer from ${FIGHTER_PAGE.min} to ${FIGHTER_PAGE.max}`);
  }
  if (!FIGHTER_SORTS.includes(sort)) throw new RangeError(`sort must be one of ${FIGHTER_SORTS.join(', ')}`);
  const [rows, field] = await db.batch([
    db
      .select(viewColumns)
      .from(fighterRecords)
      .orderBy(...ORDER[sort], asc(fighterRecords.id))
      .limit(limit),
    fieldQuery(db, options.minFights ?? TIER_DEFAULTS.minFights),
  ]);
  return tiered(rows, field, options);
}

export type FightEntry = {
  pollId: string;
  /** ms epoch the round finished. */
  at: number;
  result: 'win' | 'loss' | 'tie';
  reason: 'ko' | 'timeout' | 'rotate';
  opponent: { id: string; name: string };
  ratingBefore: number;
  ratingAfter: number;
};

export type FighterDetail = {
  fighter: FighterView;
  /** Rating after each of the latest fights, oldest first (the chart); the first point is the rating before them. */
  ratingHistory: { at: number; rating: number }[];
  /** The latest fights, newest first. */
  recent: FightEntry[];
};

export const FIGHTER_HISTORY = { points: 200, recent: 10 } as const;

/** One fighter's record, rating history and recent fights, or null when there is no such fighter. */
export async function fighterById(db: Db, id: string, options: TierSettings & { points?: number; recent?: number } = {}): Promise<FighterDetail | null> {
  const opponent = alias(fighterRecords, 'opponent');
  const [rows, fights, field] = await db.batch([
    db.select(viewColumns).from(fighterRecords).where(eq(fighterRecords.id, id)),
    db
      .select({
        pollId: fighterResults.pollId,
        finishedAt: fighterResults.finishedAt,
        result: fighterResults.result,
        reason: fighterResults.reason,
        opponentId: fighterResults.opponentId,
        opponentName: opponent.name,
        ratingBefore: fighterResults.ratingBefore,
        ratingAfter: fighterResults.ratingAfter,
      })
      .from(fighterResults)
      .innerJoin(opponent, eq(opponent.id, fighterResults.opponentId))
      .where(eq(fighterResults.fighterId, id))
      .orderBy(desc(fighterResults.finishedAt), desc(fighterResults.pollId))
      .limit(options.points ?? FIGHTER_HISTORY.points),
    fieldQuery(db, options.minFights ?? TIER_DEFAULTS.minFights),
  ]);
  const [view] = tiered(rows, field, options);
  if (!view) return null;
  const entries: FightEntry[] = fights.map((f) => ({
    pollId: f.pollId,
    at: f.finishedAt.getTime(),
    result: f.result,
    reason: f.reason,
    opponent: { id: f.opponentId, name: f.opponentName },
    ratingBefore: f.ratingBefore,
    ratingAfter: f.ratingAfter,
  }));
  const oldest = entries.at(-1);
  const ratingHistory = oldest ? [{ at: oldest.at, rating: oldest.ratingBefore }, ...entries.toReversed().map((e) => ({ at: e.at, rating: e.ratingAfter }))] : [];
  return { fighter: view, ratingHistory, recent: entries.slice(0, options.recent ?? FIGHTER_HISTORY.recent) };
}

/** With the fighter's look and moves as it debuted, so a planned match is built from the roster alone. */
export type SeasonRosterEntry = RosterEntry & { rating: number; fights: number; tier: Tier; fighter: Fighter };

/**
 * The roster matchmaking and seeding work from: every fighter not retired by an operator and not idle past the
 * retirement time, with its tier and its latest opponent (to avoid an immediate rematch).
 */
export async function seasonRoster(db: Db, settings: TierSettings = {}): Promise<SeasonRosterEntry[]> {
  const now = settings.now ?? Date.now();
  const retireAfterMs = settings.retireAfterMs ?? MATCHMAKING_DEFAULTS.retireAfterMs;
  const since = new Date(now - retireAfterMs).toISOString();
  const lastOpponent = sql<string | null>`(select r.opponent_id from fighter_results r where r.fighter_id = ${fighterRecords.id} order by r.finished_at desc, r.poll_id desc limit 1)`;
  const rows = await db
    .select({ ...viewColumns, lastOpponent })
    .from(fighterRecords)
    .where(sql`not ${fighterRecords.retired} and (${fighterRecords.lastFoughtAt} is null or ${fighterRecords.lastFoughtAt} >= ${since}::timestamptz)`)
    .orderBy(asc(fighterRecords.id));
  // Every active fighter is in `rows`, so they are their own tier field.
  return tiered(rows, rows, { ...settings, now }).map((v, i) => ({
    id: v.id,
    tier: v.tier,
    rating: v.rating,
    fights: v.fights,
    lastFoughtAt: v.lastFoughtAt,
    lastOpponent: rows[i]?.lastOpponent ?? null,
    retired: false,
    fighter: v.fighter,
  }));
}
