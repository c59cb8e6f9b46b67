import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShoutout, listShoutouts, setShoutoutStatus } from './shoutouts.ts';
import { BACKENDS, openTestDb } from './test-harness.node.ts';
import type { TestDb } from './test-harness.node.ts';

describe.each(BACKENDS)('shoutouts on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t?.close());

  it('round-trips: insert, list newest first, hide, list visible only or all', async () => {
    const at = Date.parse('2025-06-01T10:00:00.000Z');
    const first = await addShoutout(t.db, { id: 's1', user: 'ana', message: 'go Mara!', ipHash: 'h1', at });
    expect(first).toEqual({ id: 's1', user: 'ana', message: 'go Mara!', at, status: 'visible' });
    await addShoutout(t.db, { id: 's2', user: 'bo', message: 'Zip Zero all day', at: at + 1_000 });
    await addShoutout(t.db, { id: 's3', user: 'cy', message: 'rude words', at: at + 2_000 });

    expect((await listShoutouts(t.db)).map((s) => s.id)).toEqual(['s3', 's2', 's1']);
    expect(await setShoutoutStatus(t.db, 's3', 'hidden')).toBe(true);
    expect(await setShoutoutStatus(t.db, 'nope', 'hidden')).toBe(false);
    expect((await listShoutouts(t.db)).map((s) => s.id)).toEqual(['s2', 's1']);
    const all = await listShoutouts(t.db, { include: 'all' });
    expect(all.map((s) => [s.id, s.status])).toEqual([['s3', 'hidden'], ['s2', 'visible'], ['s1', 'visible']]);
    expect(await listShoutouts(t.db, { limit: 1 })).toHaveLength(1);

    expect(await setShoutoutStatus(t.db, 's3', 'visible')).toBe(true);
    expect((await listShoutouts(t.db)).map((s) => s.id)).toEqual(['s3', 's2', 's1']);
  });

  it('stamps the database time when no time is given, and trims text', async () => {
    const before = Date.now();
    const s = await addShoutout(t.db, { id: 's-now', user: '  dee ', message: ' hi ' });
    expect(s.user).toBe('dee');
    expect(s.message).toBe('hi');
    expect(Math.abs(s.at - before)).toBeLessThan(60_000);
  });

  it('rejects what the table validators reject, and a duplicate id', async () => {
    await expect(addShoutout(t.db, { id: 's-long', user: 'x'.repeat(25), message: 'hi' })).rejects.toThrow();
    await expect(addShoutout(t.db, { id: 's-empty', user: 'eve', message: '   ' })).rejects.toThrow();
    // drizzle wraps the driver's error; the Postgres one (unique_violation) is its cause.
    await expect(addShoutout(t.db, { id: 's1', user: 'ana', message: 'again' })).rejects.toMatchObject({ cause: { code: '23505' } });
  });

  it('the database itself refuses an unknown status', async () => {
    await expect(t.sql(`update shoutouts set status = 'pinned' where id = 's1'`)).rejects.toThrow(/shoutouts_status_check/);
  });
});
