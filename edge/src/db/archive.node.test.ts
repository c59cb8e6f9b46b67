import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveResult } from './archive.ts';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

describe.each(BACKENDS)('archiveResult on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  }, 60_000);
  afterAll(() => t?.close());

  const wins = async (name: string) => (await t.sql('select wins from fighters where name = $1', [name]))[0]?.wins;
  const count = async (table: string, pollId: string) =>
    (await t.sql(`select count(*)::int as n from ${table} where poll_id = $1`, [pollId]))[0]?.n;

  it('archives once: a retry inserts nothing and counts the win once', async () => {
    const result = makeResult('p-idem', { names: ['Idem Ann', 'Idem Bob'] });
    expect(await archiveResult(t.db, result)).toEqual({ inserted: true });
    expect(await archiveResult(t.db, result)).toEqual({ inserted: false });
    expect(await count('results', 'p-idem')).toBe('1');
    expect(await count('matchups', 'p-idem')).toBe('1');
    expect(await wins('Idem Ann')).toBe('1');
    expect(await wins('Idem Bob')).toBe('0');
    const [row] = await t.sql(`select winner, reason, total_votes, votes, matchup->>'title' as title,
      (extract(epoch from finished_at) * 1000)::bigint as finished from results join matchups using (poll_id) where poll_id = 'p-idem'`);
    expect(row).toEqual({
      winner: 'A',
      reason: 'ko',
      total_votes: '10',
      votes: '{"A": 7, "B": 3}',
      title: 'Idem Ann vs Idem Bob',
      finished: String(result.finishedAt),
    });
  });

  it('counts one win when the same result is archived twice at the same time', async () => {
    const result = makeResult('p-race', { names: ['Race Cat', 'Race Dog'] });
    const outcomes = await Promise.all([archiveResult(t.db, result), archiveResult(t.db, result), archiveResult(t.db, result)]);
    expect(outcomes.filter((o) => o.inserted)).toHaveLength(1);
    expect(await wins('Race Cat')).toBe('1');
  });

  it('archives rounds at the same time whose fighters overlap in opposite orders, without a deadlock', async () => {
    // Each batch upserts its fighters' rows, locking them: in the order the poll named them, three rounds in a
    // cycle (Ann–Bob, Bob–Cy, Cy–Ann) at once can each hold one row while waiting for the next.
    for (let wave = 0; wave < 8; wave++) {
      const names = ['Ann', 'Bob', 'Cy'].map((n) => `Cyc${wave} ${n}`);
      const rounds = Array.from({ length: 9 }, (_, i) => makeResult(`p-cyc-${wave}-${i}`, { names: [names[i % 3]!, names[(i + 1) % 3]!] }));
      const outcomes = await Promise.all(rounds.map((r) => archiveResult(t.db, r)));
      expect(outcomes.every((o) => o.inserted)).toBe(true);
      expect(await Promise.all(names.map(wins))).toEqual(['3', '3', '3']);
    }
  });

  it('adds up wins across rounds and updates how a returning fighter looks', async () => {
    await archiveResult(t.db, makeResult('p-w1', { names: ['Vet Vera', 'Rookie One'] }));
    const second = makeResult('p-w2', { names: ['Vet Vera', 'Rookie Two'] });
    second.matchup.options[0]!.fighter.color = '#00ff00';
    await archiveResult(t.db, second);
    expect(await wins('Vet Vera')).toBe('2');
    expect((await t.sql(`select color from fighters where name = 'Vet Vera'`))[0]?.color).toBe('#00ff00');
  });

  it('records a tie without a win, and a mirror match with one fighter row', async () => {
    expect(await archiveResult(t.db, makeResult('p-tie', { names: ['Tie Tom', 'Tie Tim'], winner: null }))).toEqual({ inserted: true });
    expect([await wins('Tie Tom'), await wins('Tie Tim')]).toEqual(['0', '0']);
    expect((await t.sql(`select winner from results where poll_id = 'p-tie'`))[0]?.winner).toBeNull();

    await archiveResult(t.db, makeResult('p-mirror', { names: ['Echo', 'Echo'], winner: 'B' }));
    expect(await t.sql(`select wins from fighters where name = 'Echo'`)).toEqual([{ wins: '1' }]);
  });

  it('archives a 4-option poll and counts the win of option C', async () => {
    await archiveResult(t.db, makeResult('p-four', { names: ['Q One', 'Q Two', 'Q Three', 'Q Four'], winner: 'C' }));
    expect(await wins('Q Three')).toBe('1');
    expect(await t.sql(`select count(*)::int as n from fighters where name like 'Q %'`)).toEqual([{ n: '4' }]);
  });

  it('writes nothing when the database rejects the result (one transaction)', async () => {
    // Fault injected in the real database: the third statement of the batch fails after the first two ran.
    await t.sql('alter table results add constraint test_votes_cap check (total_votes < 1000000)');
    try {
      const bad = makeResult('p-atomic', { names: ['Atom Ada', 'Atom Abe'], totalVotes: 2_000_000 });
      await expect(archiveResult(t.db, bad)).rejects.toThrow(/test_votes_cap/);
      expect(await count('matchups', 'p-atomic')).toBe('0');
      expect(await t.sql(`select name from fighters where name like 'Atom %'`)).toEqual([]);
    } finally {
      await t.sql('alter table results drop constraint test_votes_cap');
    }
  });

  it('rejects a result that does not fit the tables before touching the database', async () => {
    const bad = makeResult('p-invalid', { names: ['Bad Bo', 'Bad Bea'] });
    bad.matchup.options[0]!.fighter.color = 'red';
    await expect(archiveResult(t.db, bad)).rejects.toThrow();
    expect(await count('matchups', 'p-invalid')).toBe('0');
  });
});
