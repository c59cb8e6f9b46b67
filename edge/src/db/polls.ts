/** Finished rounds, newest first, read from the archive. */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { PollSummary } from '@stream-fighter/core/protocol';
import type { PollList } from '@stream-fighter/core/protocol';
import { matchups, results } from '@stream-fighter/drizzle/schema';
import type { MatchupRow, ResultRow } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';
import { BadCursorError, decodeCursor, encodeCursor } from './cursor.ts';

export { BadCursorError };

export const POLL_PAGE = { min: 1, max: 50, default: 20 } as const;
export const POLL_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** 10000-01-01T00:00:00Z in microseconds since the epoch. */
const MAX_KEY_MICROS = 253_402_300_800_000_000n;

/** Query-string shape for the list endpoint, so the route and this module agree on the limits. */
export const ListPollsQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(POLL_PAGE.min).max(POLL_PAGE.max).default(POLL_PAGE.default),
});

/**
 * The position after the last item of a page: finished_at in whole microseconds since the epoch (Postgres'
 * own precision, so the next page starts exactly after it) and the poll id that breaks ties.
 */
const Key = z.strictObject({
  // Bounded to years 1970–9999 before it reaches SQL: Postgres refuses timestamps outside 4713 BC–294276 AD, and
  // a refused query would be a 500, not a bad cursor.
  t: z
    .string()
    .regex(/^\d{1,18}$/)
    .refine((t) => BigInt(t) < MAX_KEY_MICROS),
  // What a poll id can be (as GET /api/polls/:id checks): no NUL byte or other text Postgres would refuse.
  p: z.string().regex(POLL_ID),
});

const keyMicros = sql<string>`(extract(epoch from ${results.finishedAt}) * 1000000)::bigint::text`;

const summaryColumns = {
  pollId: results.pollId,
  matchup: matchups.matchup,
  winner: results.winner,
  reason: results.reason,
  votes: results.votes,
  hp: results.hp,
  totalVotes: results.totalVotes,
  startedAt: results.startedAt,
  finishedAt: results.finishedAt,
};

export async function listPolls(db: Db, options: { cursor?: string; limit?: number } = {}): Promise<PollList> {
  const limit = options.limit ?? POLL_PAGE.default;
  if (!Number.isInteger(limit) || limit < POLL_PAGE.min || limit > POLL_PAGE.max) {
    throw new RangeError(`limit must be an integer from ${POLL_PAGE.min} to ${POLL_PAGE.max}`);
  }
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, Key);

  const rows = await db
    .select({ ...summaryColumns, key: keyMicros })
    .from(results)
    .innerJoin(matchups, eq(matchups.pollId, results.pollId))
    .where(
      after &&
        sql`(${results.finishedAt}, ${results.pollId}) < (timestamptz 'epoch' + ${after.t}::bigint * interval '1 microsecond', ${after.p})`,
    )
    // NULLS LAST as in the index results_finished_at_idx, so Postgres reads the page off the index in order.
    .orderBy(sql`${results.finishedAt} desc nulls last`, sql`${results.pollId} desc nulls last`)
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.key, p: last.pollId } satisfies z.infer<typeof Key>) : null,
  };
}

export async function getPoll(db: Db, pollId: string): Promise<PollSummary | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(results)
    .innerJoin(matchups, eq(matchups.pollId, results.pollId))
    .where(eq(results.pollId, pollId))
    .limit(1);
  return row ? toSummary(row) : null;
}

type SummaryRow = ResultRow & Pick<MatchupRow, 'matchup'>;

function toSummary(row: SummaryRow): PollSummary {
  // Parsed, not cast: the jsonb holds whatever an older version of the room wrote.
  return PollSummary.parse({
    pollId: row.pollId,
    title: row.matchup.title,
    options: row.matchup.options.map((o) => ({
      id: o.id,
      name: o.fighter.name,
      votes: row.votes[o.id] ?? 0,
      hp: row.hp[o.id] ?? 0,
    })),
    winner: row.winner,
    reason: row.reason,
    totalVotes: row.totalVotes,
    startedAt: row.startedAt.getTime(),
    finishedAt: row.finishedAt.getTime(),
  });
}
