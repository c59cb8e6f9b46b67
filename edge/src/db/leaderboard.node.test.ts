import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveResult } from './archive.ts';
import { createDb } from './client.ts';
import { checkDb } from './health.ts';
import { topFighters } from './leaderboard.ts';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

describe.each(BACKENDS)('leaderboard and health on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t?.close());

  it('ranks fighters by wins from the archive, ties by name, no winless fighters', async () => {
    const rounds: [string, string, 'A' | 'B' | null][] = [
      ['Kai', 'Lux', 'A'],
      ['Kai', 'Mo', 'A'],
      ['Lux', 'Mo', 'B'],
      ['Lux', 'Kai', 'A'],
      ['Ned', 'Ola', null],
    ];
    for (const [i, [a, b, winner]] of rounds.entries()) await archiveResult(t.db, makeResult(`lb-${i}`, { names: [a, b], winner }));
    expect(await topFighters(t.db)).toEqual([
      { fighter: 'Kai', wins: 2 },
      { fighter: 'Lux', wins: 1 },
      { fighter: 'Mo', wins: 1 },
    ]);
    expect(await topFighters(t.db, 1)).toEqual([{ fighter: 'Kai', wins: 2 }]);
    await expect(topFighters(t.db, 0)).rejects.toBeInstanceOf(RangeError);
  });

  it('reports a healthy database with its latency', async () => {
    const health = await checkDb(t.db);
    expect(health).toMatchObject({ ok: true });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports, without throwing, a database it cannot reach', async () => {
    // A closed port: the global endpoint is switched for this check and put back after.
    const down = createDb({ databaseUrl: 'postgres://app:pw@db.invalid/app', endpoint: 'http://127.0.0.1:9/sql' });
    try {
      expect(await checkDb(down)).toMatchObject({ ok: false, error: expect.any(String) });
    } finally {
      createDb({ databaseUrl: 'postgres://app:pw@db.invalid/app', endpoint: t.endpoint });
    }
  });
});
