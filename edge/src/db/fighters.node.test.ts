import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fighterById, listFighters, recordFighterResults, seasonRoster } from './fighters.ts';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import type { OptionId } from '@stream-fighter/core/ids';
import type { RoundResult } from '@stream-fighter/core/round-state';
import { fighterId } from '@stream-fighter/core/season/record';
import { ELO, replayElo } from '@stream-fighter/core/season/rating';
import type { EloResult } from '@stream-fighter/core/season/rating';
import { mulberry32, randInt } from '@stream-fighter/core/prng';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

const T0 = Date.parse('2026-11-01T12:00:00.000Z');
const MIN = 60_000;

/** A fight between `a` (option A) and `b`: `winner` 'A', 'B' or null (a tie at the bell); a win is a KO unless `reason` says otherwise. */
function fight(pollId: string, a: string, b: string, winner: OptionId | null, at = T0, reason: RoundResult['outcome']['reason'] = winner ? 'ko' : 'timeout'): RoundResult {
  const r = makeResult(pollId, { names: [a, b], winner, finishedAt: at });
  return { ...r, outcome: { winner, reason } };
}

describe.each(BACKENDS)('fighter records on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  }, 60_000);
  afterAll(() => t?.close());

  const record = async (name: string) =>
    (await t.sql('select rating, wins, losses, ties, kos, streak, fights from fighter_records where id = $1', [fighterId(name)]))[0];
  const rows = async (pollId: string) => (await t.sql('select count(*)::int as n from fighter_results where poll_id = $1', [pollId]))[0]?.n;
  /** The sum of the stored ratings of these fighters and what their per-fight rows say they moved. */
  const ledger = async (prefix: string) =>
    (
      await t.sql(
        `select count(*)::int as fighters, coalesce(sum(rating), 0)::int as total,
           (select coalesce(sum(rating_after - rating_before), 0)::int from fighter_results r join fighter_records f on f.id = r.fighter_id where f.name like $1) as moved
         from fighter_records where name like $1`,
        [`${prefix}%`],
      )
    )[0];

  it('records a KO: win, loss, streaks, ratings and one row per fighter with the rating before and after', async () => {
    const out = await recordFighterResults(t.db, fight('ko-1', 'Ko Ann', 'Ko Bob', 'A'));
    expect(out).toEqual({
      recorded: true,
      fighters: [
        { id: fighterId('Ko Ann'), ratingBefore: 1500, ratingAfter: 1516 },
        { id: fighterId('Ko Bob'), ratingBefore: 1500, ratingAfter: 1484 },
      ],
    });
    expect(await record('Ko Ann')).toEqual({ rating: '1516', wins: '1', losses: '0', ties: '0', kos: '1', streak: '1', fights: '1' });
    expect(await record('Ko Bob')).toEqual({ rating: '1484', wins: '0', losses: '1', ties: '0', kos: '0', streak: '-1', fights: '1' });
    const [row] = await t.sql(
      `select "option", result, reason, rating_before, rating_after, opponent_id, (extract(epoch from finished_at) * 1000)::bigint as at
       from fighter_results where poll_id = 'ko-1' and fighter_id = $1`,
      [fighterId('Ko Bob')],
    );
    expect(row).toEqual({ option: 'B', result: 'loss', reason: 'ko', rating_before: '1500', rating_after: '1484', opponent_id: fighterId('Ko Ann'), at: String(T0) });
  });

  it('counts a round recorded twice once', async () => {
    const r = fight('twice-1', 'Twice Ann', 'Twice Bob', 'B');
    expect(await recordFighterResults(t.db, r)).toMatchObject({ recorded: true });
    expect(await recordFighterResults(t.db, r)).toEqual({ recorded: false, reason: 'already-recorded' });
    expect(await rows('twice-1')).toBe('2');
    expect(await record('Twice Bob')).toMatchObject({ wins: '1', fights: '1', rating: '1516' });
  });

  it('counts a round recorded by several callers at the same time once', async () => {
    const r = fight('race-1', 'Race Ann', 'Race Bob', 'A');
    const outs = await Promise.all(Array.from({ length: 5 }, () => recordFighterResults(t.db, r)));
    expect(outs.filter((o) => o.recorded)).toHaveLength(1);
    expect(outs.filter((o) => !o.recorded)).toEqual(Array.from({ length: 4 }, () => ({ recorded: false, reason: 'already-recorded' })));
    expect(await rows('race-1')).toBe('2');
    expect(await record('Race Ann')).toMatchObject({ wins: '1', fights: '1', rating: '1516' });
  });

  it('records concurrent rounds that share fighters, each once, zero-sum, with a consistent history', async () => {
    // Waves of 9 rounds at once among three new fighters, each in 6 of them: locking the rows in scan order
    // deadlocked in about one run in three of a single wave (CI saw it), so eight waves.
    const trios = Array.from({ length: 8 }, (_, w) => ['Ann', 'Bob', 'Cy'].map((n) => `Mob${w} ${n}`));
    for (const names of trios) {
      const rounds = Array.from({ length: 9 }, (_, i) => fight(`${names[0]}-${i}`, names[i % 3]!, names[(i + 1) % 3]!, i % 4 === 0 ? null : 'A', T0 + i * MIN));
      const outs = await Promise.all(rounds.map((r) => recordFighterResults(t.db, r, { attempts: 20 })));
      expect(outs.every((o) => o.recorded)).toBe(true);
    }
    const names = trios.flat();
    const fights = await Promise.all(names.map(async (n) => Number((await record(n))?.fights)));
    expect(fights).toEqual(names.map(() => 6));
    expect(await ledger('Mob')).toEqual({ fighters: String(names.length), total: String(names.length * ELO.initial), moved: '0' });
    // Each fighter's rows chain up: what its rows moved is what its rating moved.
    for (const n of names) {
      const [row] = await t.sql('select sum(rating_after - rating_before)::int as moved from fighter_results where fighter_id = $1', [fighterId(n)]);
      expect(Number(row?.moved)).toBe(Number((await record(n))?.rating) - ELO.initial);
    }
  });

  it('keeps the stored ratings zero-sum and equal to a replay of the same results in the same order', async () => {
    const rng = mulberry32(14);
    const names = ['Ring Ann', 'Ring Bob', 'Ring Cy', 'Ring Dee', 'Ring Eve', 'Ring Fay'];
    const played: EloResult[] = [];
    for (let i = 0; i < 30; i++) {
      const x = randInt(rng, 0, names.length - 1);
      const y = (x + randInt(rng, 1, names.length - 1)) % names.length;
      const winner = (['A', 'B', null] as const)[randInt(rng, 0, 2)]!;
      await recordFighterResults(t.db, fight(`ring-${i}`, names[x]!, names[y]!, winner, T0 + i * MIN));
      played.push({ a: fighterId(names[x]!), b: fighterId(names[y]!), scoreA: winner === 'A' ? 1 : winner === 'B' ? 0 : 0.5 });
    }
    expect(await ledger('Ring ')).toEqual({ fighters: '6', total: String(6 * ELO.initial), moved: '0' });
    const replayed = replayElo(played);
    for (const n of names) expect(Number((await record(n))?.rating ?? ELO.initial)).toBe(replayed.get(fighterId(n)) ?? ELO.initial);
  });

  it('records a tie for both, resets streaks, and keeps the look a fighter debuted with', async () => {
    await recordFighterResults(t.db, fight('tie-0', 'Tie Ann', 'Tie Bob', 'A'));
    const again = fight('tie-1', 'Tie Ann', 'Tie Bob', null);
    again.matchup.options[0]!.fighter.color = '#00ff00';
    await recordFighterResults(t.db, again);
    expect(await record('Tie Ann')).toMatchObject({ wins: '1', ties: '1', streak: '0', fights: '2' });
    expect(await record('Tie Bob')).toMatchObject({ losses: '1', ties: '1', streak: '0', fights: '2' });
    const [look] = await t.sql(`select fighter->>'color' as color, name from fighter_records where id = $1`, [fighterId('Tie Ann')]);
    expect(look).toEqual({ color: '#ff8800', name: 'Tie Ann' });
    expect((await t.sql(`select result, reason from fighter_results where poll_id = 'tie-1' order by "option"`)).map((r) => r.result)).toEqual(['tie', 'tie']);
  });

  it('skips plain polls and mirror matches, writing nothing', async () => {
    expect(await recordFighterResults(t.db, makeResult('poll-3', { names: ['Poll Ann', 'Poll Bob', 'Poll Cy'] }))).toEqual({ recorded: false, reason: 'not-a-fight' });
    expect(await recordFighterResults(t.db, makeResult('mirror-1', { names: ['Echo Echo', 'Echo Echo'] }))).toEqual({ recorded: false, reason: 'mirror' });
    expect(await t.sql(`select name from fighter_records where name like 'Poll %' or name like 'Echo %'`)).toEqual([]);
    expect(await rows('poll-3')).toBe('0');
  });

  it('refuses a fighter that does not fit the table before writing anything', async () => {
    const bad = fight('bad-1', 'Bad Ann', 'Bad Bob', 'A');
    bad.matchup.options[0]!.fighter.color = 'red';
    await expect(recordFighterResults(t.db, bad)).rejects.toThrow();
    expect(await t.sql(`select name from fighter_records where name like 'Bad %'`)).toEqual([]);
  });

  it('lists fighters by any sort with tiers, and shows one fighter with its history and recent fights', async () => {
    // A ladder of its own, 100 days later, so every fighter of the other tests is idle and out of the tier field:
    // 'Top Ace' beats everyone, 'Top Zed' loses to everyone, five fights each.
    const later = T0 + 100 * 24 * 60 * MIN;
    const names = ['Top Ace', 'Top Bea', 'Top Cal', 'Top Dan', 'Top Eli', 'Top Zed'];
    let n = 0;
    for (const [i, x] of names.entries()) {
      for (const y of names.slice(i + 1)) await recordFighterResults(t.db, fight(`top-${n++}`, x, y, 'A', later + n * MIN));
    }
    const now = later + 60 * MIN;
    const byRating = await listFighters(t.db, { sort: 'rating', limit: 100, now });
    const ace = byRating.find((f) => f.name === 'Top Ace');
    expect(ace).toMatchObject({ id: fighterId('Top Ace'), wins: 5, losses: 0, fights: 5, streak: 5, active: true, retired: false, tier: 'S' });
    expect(ace?.fighter).toMatchObject({ name: 'Top Ace', archetype: 'brawler', moves: { punch: 'Jab' } });
    expect(byRating.find((f) => f.name === 'Top Zed')?.tier).toBe('C');
    expect(byRating.find((f) => f.name === 'Ko Ann')?.tier).toBe('N');
    const ratings = byRating.map((f) => f.rating);
    expect(ratings).toEqual([...ratings].sort((x, y) => y - x));
    expect((await listFighters(t.db, { sort: 'name', limit: 3, now })).map((f) => f.name)).toEqual(
      byRating.map((f) => f.name).sort((x, y) => (x < y ? -1 : 1)).slice(0, 3),
    );
    expect((await listFighters(t.db, { sort: 'streak', limit: 1, now }))[0]?.streak).toBeGreaterThanOrEqual(5);
    await expect(listFighters(t.db, { limit: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(listFighters(t.db, { limit: 101 })).rejects.toBeInstanceOf(RangeError);

    const detail = await fighterById(t.db, fighterId('Top Zed'), { now, recent: 3 });
    expect(detail?.fighter).toMatchObject({ name: 'Top Zed', losses: 5, streak: -5 });
    expect(detail?.recent).toHaveLength(3);
    expect(detail?.recent[0]).toMatchObject({ result: 'loss', reason: 'ko', opponent: { id: fighterId('Top Eli'), name: 'Top Eli' } });
    expect(detail?.ratingHistory).toHaveLength(6);
    expect(detail?.ratingHistory[0]?.rating).toBe(1500);
    expect(detail?.ratingHistory.at(-1)?.rating).toBe(detail?.fighter.rating);
    expect(await fighterById(t.db, 'nobody-0')).toBeNull();
  });

  it('gives matchmaking the active roster with tiers and last opponents, without retired or idle fighters', async () => {
    await recordFighterResults(t.db, fight('ros-0', 'Ros Old', 'Ros Ann', 'A', T0 - 10 * 24 * 60 * MIN));
    await recordFighterResults(t.db, fight('ros-1', 'Ros Ann', 'Ros Bob', 'A', T0));
    await recordFighterResults(t.db, fight('ros-2', 'Ros Bob', 'Ros Cy', 'B', T0 + MIN));
    await t.sql(`update fighter_records set retired = true where id = $1`, [fighterId('Ros Cy')]);
    const roster = await seasonRoster(t.db, { now: T0 + 2 * MIN });
    const ros = roster.filter((r) => r.id.startsWith('ros-'));
    expect(ros.map((r) => r.id).sort()).toEqual([fighterId('Ros Ann'), fighterId('Ros Bob')].sort());
    expect(ros.find((r) => r.id === fighterId('Ros Bob'))).toMatchObject({ lastOpponent: fighterId('Ros Cy'), tier: 'N', fights: 2, lastFoughtAt: T0 + MIN });
    expect(ros.find((r) => r.id === fighterId('Ros Ann'))?.lastOpponent).toBe(fighterId('Ros Bob'));
  });
});
