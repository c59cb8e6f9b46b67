import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShoutout, listShoutouts, moderateVoter, setShoutoutStatus } from './shoutouts.ts';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

describe.each(BACKENDS)('shoutouts on $backend', ({ backend }) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(backend);
  });
  afterAll(() => t?.close());

  it('a new shout-out waits for an operator unless it is logged as on air', async () => {
    const at = Date.parse('2025-05-01T10:00:00.000Z');
    const waiting = await addShoutout(t.db, { id: 'p1', user: 'ana', message: 'hi', voterId: 'v-ana', addressKey: 'k1', at });
    expect(waiting).toEqual({ id: 'p1', user: 'ana', message: 'hi', at, status: 'pending', voterId: 'v-ana' });
    const aired = await addShoutout(t.db, { id: 'p2', user: 'bo', message: 'yo', voterId: 'v-bo', status: 'visible', at: at + 1 });
    expect(aired.status).toBe('visible');
    const [row] = await t.sql(`select voter_id, ip_hash from shoutouts where id = 'p1'`);
    expect(row).toEqual({ voter_id: 'v-ana', ip_hash: 'k1' });
  });

  it('round-trips: insert, list newest first, approve, hide, list visible only or all', async () => {
    const at = Date.parse('2025-06-01T10:00:00.000Z');
    const first = await addShoutout(t.db, { id: 's1', user: 'ana', message: 'go Mara!', voterId: 'v1', addressKey: 'h1', at, status: 'visible' });
    expect(first).toEqual({ id: 's1', user: 'ana', message: 'go Mara!', at, status: 'visible', voterId: 'v1' });
    await addShoutout(t.db, { id: 's2', user: 'bo', message: 'Zip Zero all day', voterId: 'v2', at: at + 1_000, status: 'visible' });
    await addShoutout(t.db, { id: 's3', user: 'cy', message: 'rude words', voterId: 'v3', at: at + 2_000 });

    expect((await listShoutouts(t.db)).map((s) => s.id).slice(0, 2)).toEqual(['s2', 's1']);
    expect(await setShoutoutStatus(t.db, 's3', 'visible', ['pending'])).toBe(true);
    expect(await setShoutoutStatus(t.db, 's3', 'rejected', ['pending'])).toBe(false); // already decided
    expect(await setShoutoutStatus(t.db, 's3', 'hidden')).toBe(true);
    expect(await setShoutoutStatus(t.db, 'nope', 'hidden')).toBe(false);
    expect((await listShoutouts(t.db)).map((s) => s.id).slice(0, 2)).toEqual(['s2', 's1']);
    const all = await listShoutouts(t.db, { include: 'all' });
    expect(all.slice(0, 3).map((s) => [s.id, s.status])).toEqual([['s3', 'hidden'], ['s2', 'visible'], ['s1', 'visible']]);
    expect(await listShoutouts(t.db, { limit: 1 })).toHaveLength(1);
  });

  it('banning a voter rejects what waits and hides what aired, and touches no one else', async () => {
    await addShoutout(t.db, { id: 'b1', user: 'troll', message: 'one', voterId: 'v-troll' });
    await addShoutout(t.db, { id: 'b2', user: 'troll', message: 'two', voterId: 'v-troll', status: 'visible' });
    await addShoutout(t.db, { id: 'b3', user: 'troll', message: 'three', voterId: 'v-troll', status: 'rejected' });
    await addShoutout(t.db, { id: 'b4', user: 'nice', message: 'four', voterId: 'v-nice' });
    expect(await moderateVoter(t.db, 'v-troll')).toEqual({ rejected: ['b1'], hidden: ['b2'] });
    const status = Object.fromEntries((await t.sql(`select id, status from shoutouts where id like 'b%'`)).map((r) => [r.id, r.status]));
    expect(status).toEqual({ b1: 'rejected', b2: 'hidden', b3: 'rejected', b4: 'pending' });
    expect(await moderateVoter(t.db, 'v-nobody')).toEqual({ rejected: [], hidden: [] });
  });

  it('stamps the database time when no time is given, and trims text', async () => {
    const before = Date.now();
    const s = await addShoutout(t.db, { id: 's-now', user: '  dee ', message: ' hi ', voterId: 'v4' });
    expect(s.user).toBe('dee');
    expect(s.message).toBe('hi');
    expect(Math.abs(s.at - before)).toBeLessThan(60_000);
  });

  it('rejects what the table validators reject, and a duplicate id', async () => {
    await expect(addShoutout(t.db, { id: 's-long', user: 'x'.repeat(25), message: 'hi', voterId: 'v5' })).rejects.toThrow();
    await expect(addShoutout(t.db, { id: 's-empty', user: 'eve', message: '   ', voterId: 'v5' })).rejects.toThrow();
    // drizzle wraps the driver's error; the Postgres one (unique_violation) is its cause.
    await expect(addShoutout(t.db, { id: 's1', user: 'ana', message: 'again', voterId: 'v1' })).rejects.toMatchObject({ cause: { code: '23505' } });
  });

  it('the database itself refuses an unknown status, and a new row with no status is pending', async () => {
    await expect(t.sql(`update shoutouts set status = 'pinned' where id = 's1'`)).rejects.toThrow(/shoutouts_status_check/);
    await t.sql(`insert into shoutouts (id, user_name, message) values ('raw', 'r', 'm')`);
    expect(await t.sql(`select status from shoutouts where id = 'raw'`)).toEqual([{ status: 'pending' }]);
  });
});
