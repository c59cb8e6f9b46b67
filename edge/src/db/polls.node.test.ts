import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PollSummary } from '@stream-fighter/core/protocol';
import { archiveResult } from './archive.ts';
import { encodeCursor } from './cursor.ts';
import { BadCursorError, ListPollsQuery, getPoll, listPolls } from './polls.ts';
import { makeResult } from '@stream-fighter/core/fixtures/rounds';
import { BACKENDS, openTestDb } from '@stream-fighter/devstack/test-support/test-database';
import type { TestDb } from '@stream-fighter/devstack/test-support/test-database';

const BASE = Date.parse('2025-06-01T00:00:00.000Z');

describe.each(BACKENDS)('polls on $backend', ({ backend }) => {
  let t: TestDb;
  /** Poll ids in the order the list must return them: finished_at desc, then poll_id desc. */
  let expected: string[];

  beforeAll(async () => {
    t = await openTestDb(backend);
    // 45 results, two per finished_at, so the poll id tie-break is exercised across pages.
    const made = Array.from({ length: 45 }, (_, i) => ({ id: `poll-${String(i).padStart(2, '0')}`, at: BASE + Math.floor(i / 2) * 60_000 }));
    for (const m of [...made].reverse()) await archiveResult(t.db, makeResult(m.id, { finishedAt: m.at }));
    expected = [...made].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((m) => m.id);
  });
  afterAll(() => t?.close());

  it('pages through all 45 results once each, in order, following nextCursor', async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPolls(t.db, { cursor, limit: 10 });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((p) => p.pollId));
      cursor = page.nextCursor ?? undefined;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (cursor);
    expect(pageSizes).toEqual([10, 10, 10, 10, 5]);
    expect(seen).toEqual(expected);
  });

  it('returns 20 by default and no cursor on the last page', async () => {
    const first = await listPolls(t.db);
    expect(first.items).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const all = await listPolls(t.db, { limit: 50 });
    expect(all.items.map((p) => p.pollId)).toEqual(expected);
    expect(all.nextCursor).toBeNull();
  });

  it('keeps microsecond-close rows apart when paging', async () => {
    // Written around the app on purpose: finished_at values that ms-precision cursors would merge or skip.
    const at = '2030-01-01T00:00:00';
    for (const [id, micros] of [['micro-a', '.000001'], ['micro-b', '.000002'], ['micro-c', '.000002']] as const) {
      await archiveResult(t.db, makeResult(id, { finishedAt: Date.parse('2030-01-01T00:00:00Z') }));
      await t.sql(`update results set finished_at = $1::timestamptz where poll_id = $2`, [`${at}${micros}Z`, id]);
    }
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await listPolls(t.db, { cursor, limit: 1 });
      ids.push(...page.items.map((p) => p.pollId));
      cursor = page.nextCursor ?? undefined;
    }
    expect(ids).toEqual(['micro-c', 'micro-b', 'micro-a']);
    await t.sql(`delete from results where poll_id like 'micro-%'`);
  });

  it('rejects a malformed or forged cursor with BadCursorError', async () => {
    const bad = ['!!!', 'abc', encodeCursor({ t: 'x', p: 'poll-01' }), encodeCursor({ t: '1', p: '' }), encodeCursor([1, 2]), 'a'.repeat(600)];
    for (const cursor of bad) {
      await expect(listPolls(t.db, { cursor }), cursor.slice(0, 40)).rejects.toBeInstanceOf(BadCursorError);
    }
    await expect(listPolls(t.db, { cursor: Buffer.from('{"t":"1"').toString('base64url') })).rejects.toThrow('malformed cursor');
  });

  it('checks the limit', async () => {
    await expect(listPolls(t.db, { limit: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(listPolls(t.db, { limit: 51 })).rejects.toBeInstanceOf(RangeError);
    await expect(listPolls(t.db, { limit: 2.5 })).rejects.toBeInstanceOf(RangeError);
    expect(ListPollsQuery.parse({ limit: '7' })).toEqual({ limit: 7 });
    expect(ListPollsQuery.safeParse({ limit: '99' }).success).toBe(false);
  });

  it('gets one poll as a PollSummary, and null for an unknown id', async () => {
    expect(await getPoll(t.db, 'no-such-poll')).toBeNull();
    const poll = await getPoll(t.db, 'poll-07');
    expect(PollSummary.parse(poll)).toEqual({
      pollId: 'poll-07',
      title: 'Iron Mara vs Zip Zero',
      options: [
        { id: 'A', name: 'Iron Mara', votes: 7, hp: 100_000 },
        { id: 'B', name: 'Zip Zero', votes: 3, hp: 0 },
      ],
      winner: 'A',
      reason: 'ko',
      totalVotes: 10,
      startedAt: BASE + 3 * 60_000 - 180_000,
      finishedAt: BASE + 3 * 60_000,
    });
  });
});
