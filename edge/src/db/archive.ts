/**
 * Archives a finished round. The room calls this after every round and may call it again for the same round after
 * a crash or a failed request, so it is idempotent: a second call changes nothing and reports `inserted: false`.
 */
import { sql } from 'drizzle-orm';
import type { RoundResult } from '@stream-fighter/core/round-state';
import { FighterInsert, MatchupInsert, ResultInsert, fighters, matchups, results } from '@stream-fighter/drizzle/schema';
import type { Db } from './client.ts';

export async function archiveResult(db: Db, result: RoundResult): Promise<{ inserted: boolean }> {
  const { matchup, outcome } = result;
  // Parsed by the validators derived from the tables: a result that would not fit the columns fails here, whole.
  const matchupRow = MatchupInsert.parse({
    pollId: result.pollId,
    title: matchup.title,
    stage: matchup.stage,
    matchup,
    source: matchup.source,
  });
  const resultRow = ResultInsert.parse({
    pollId: result.pollId,
    winner: outcome.winner,
    reason: outcome.reason,
    votes: result.votes,
    hp: result.hp,
    totalVotes: result.totalVotes,
    startedAt: new Date(result.startedAt),
    finishedAt: new Date(result.finishedAt),
  });
  // A mirror match names one fighter twice; one upsert may not touch the same row twice. In name order: the upsert
  // locks the rows one by one, and rounds at once that name the same fighters in other orders deadlocked.
  const byName = new Map(matchup.options.map((o) => [o.fighter.name, o.fighter]));
  const fighterRows = [...byName.values()].toSorted((x, y) => (x.name < y.name ? -1 : 1)).map((f) => FighterInsert.parse(f));
  const winnerName = matchup.options.find((o) => o.id === outcome.winner)?.fighter.name;

  const insertResult = db.insert(results).values(resultRow).onConflictDoNothing().returning({ pollId: results.pollId });
  // The win is counted in the same statement that inserts the result, and only if that insert happened: a retry
  // finds the row already there, `ins` is empty and the update touches nothing.
  // getSQL(): a builder placed in sql`` directly is wrapped in parentheses, which is not valid inside WITH.
  const countWin =
    winnerName === undefined
      ? sql``
      : sql`, won as (${db
          .update(fighters)
          .set({ wins: sql`${fighters.wins} + 1` })
          .where(sql`${fighters.name} = ${winnerName} and exists (select 1 from ins)`)
          .getSQL()})`;

  // One batch = one transaction on the server. The fighters are upserted by an earlier statement than the win
  // update because statements inside a single WITH cannot see each other's writes to the same table.
  const [, , inserted] = await db.batch([
    db.insert(matchups).values(matchupRow).onConflictDoNothing(),
    db
      .insert(fighters)
      .values(fighterRows)
      .onConflictDoUpdate({
        target: fighters.name,
        set: {
          archetype: sql`excluded.archetype`,
          color: sql`excluded.color`,
          tagline: sql`excluded.tagline`,
          moves: sql`excluded.moves`,
        },
      }),
    db.execute<{ inserted: number }>(sql`with ins as (${insertResult.getSQL()})${countWin} select count(*)::int as inserted from ins`),
  ]);
  return { inserted: Number(inserted.rows[0]?.inserted ?? 0) > 0 };
}
