/**
 * The viewers' leaderboard in the bet book (room/bet-book.ts leaderboard()): order, shared ranks, ties, banned
 * voters left out, and the bound on its size. Each test runs on a room of its own (a name nobody else uses), with
 * balances written straight into its table: the book's other paths (place, settle) are tested in bets.test.ts and
 * the leaderboard after a real round in leaderboard.test.ts.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ViewerName } from '@stream-fighter/core';
import type { Arena } from '../src/room/arena.ts';
import { BetBook, LEADERBOARD_MAX, viewerName } from '../src/room/bet-book.ts';
import { room } from './helpers.ts';

type Row = { id: string; balance: number; at: number };

/** A book over a fresh room's SQLite; `rows` are written as balances, `banned` are banned. */
async function withBook<T>(rows: Row[], banned: ReadonlySet<string>, use: (book: BetBook) => T): Promise<T> {
  return runInDurableObject(room(`leaderboard-${crypto.randomUUID()}`), (_arena: Arena, state) => {
    const book = new BetBook({
      sql: state.storage.sql,
      now: () => Date.now(),
      upcoming: () => null,
      round: () => {
        throw new Error('the leaderboard does not need the round');
      },
      previousPollId: () => null,
      isBanned: (id) => banned.has(id),
    });
    for (const r of rows) state.storage.sql.exec(`INSERT INTO bet_balances (voter_id, balance, last_at) VALUES (?, ?, ?)`, r.id, r.balance, r.at);
    return use(book);
  });
}

const t0 = Date.now();

describe('the viewers\' leaderboard in the bet book', () => {
  it('ranks by balance, equal balances sharing a rank in a fixed order (reached first, then voter id)', async () => {
    const rows: Row[] = [
      { id: 'p-low', balance: 100, at: t0 },
      { id: 'p-mid', balance: 500, at: t0 },
      { id: 'p-tie-late', balance: 1500, at: t0 + 50 },
      { id: 'p-tie-b', balance: 1500, at: t0 },
      { id: 'p-tie-a', balance: 1500, at: t0 },
      { id: 'p-broke', balance: 0, at: t0 },
      { id: 'p-top', balance: 9000, at: t0 + 99 },
    ];
    const board = await withBook(rows, new Set(), (b) => b.leaderboard(20));
    expect(board).toEqual(
      [
        ['p-top', 1, 9000],
        ['p-tie-a', 2, 1500],
        ['p-tie-b', 2, 1500],
        ['p-tie-late', 2, 1500],
        ['p-mid', 5, 500],
        ['p-low', 6, 100],
        ['p-broke', 7, 0],
      ].map(([id, rank, balance]) => ({ rank, name: viewerName(id as string), balance })),
    );
    // The same rows written in another order give the same board.
    expect(await withBook([...rows].reverse(), new Set(), (b) => b.leaderboard(20))).toEqual(board);
  });

  it('leaves banned voters out, ranks the rest without them and still fills the board', async () => {
    // 30 banned voters above everyone: the board reads past them (more than one page) to its 3 rows.
    const banned = Array.from({ length: 30 }, (_, i) => ({ id: `p-banned-${i}`, balance: 5000 + i, at: t0 }));
    const fair = [
      { id: 'p-one', balance: 1200, at: t0 },
      { id: 'p-two', balance: 1100, at: t0 },
      { id: 'p-three', balance: 1100, at: t0 + 1 },
      { id: 'p-four', balance: 900, at: t0 },
    ];
    const board = await withBook([...banned, ...fair], new Set(banned.map((b) => b.id)), (b) => b.leaderboard(3));
    expect(board).toEqual([
      { rank: 1, name: viewerName('p-one'), balance: 1200 },
      { rank: 2, name: viewerName('p-two'), balance: 1100 },
      { rank: 2, name: viewerName('p-three'), balance: 1100 },
    ]);
    const everyone = await withBook([...banned, ...fair], new Set(['p-banned-29', 'p-two']), (b) => b.leaderboard(100));
    expect(everyone.map((s) => s.name)).not.toContain(viewerName('p-banned-29'));
    expect(everyone.map((s) => s.name)).not.toContain(viewerName('p-two'));
    expect(everyone).toHaveLength(32);
    expect(everyone[0]).toEqual({ rank: 1, name: viewerName('p-banned-28'), balance: 5028 });
  });

  it(`is bounded: never more than asked, never more than ${LEADERBOARD_MAX}, nothing for a limit below 1`, async () => {
    const rows = Array.from({ length: LEADERBOARD_MAX + 50 }, (_, i) => ({ id: `p-${String(i).padStart(4, '0')}`, balance: 10 * i, at: t0 }));
    const boards = await withBook(rows, new Set(), (b) => ({
      huge: b.leaderboard(10_000),
      five: b.leaderboard(5),
      hundred: b.leaderboard(100),
      fraction: b.leaderboard(2.9),
      none: [b.leaderboard(0), b.leaderboard(-4), b.leaderboard(Number.NaN)],
    }));
    expect(boards.huge).toHaveLength(LEADERBOARD_MAX);
    expect(boards.huge[0]).toEqual({ rank: 1, name: viewerName(`p-0149`), balance: 1490 });
    expect(boards.five).toEqual(boards.hundred.slice(0, 5));
    expect(boards.fraction).toHaveLength(2);
    expect(boards.none).toEqual([[], [], []]);
  });
});

describe('a viewer\'s pseudonym', () => {
  it('is six upper-case hex digits, the same for the same voter, unlike the id and not shared by neighbours', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `p-${i}`);
    const names = ids.map(viewerName);
    for (const n of names) expect(ViewerName.safeParse(n).success, n).toBe(true);
    expect(ids.map(viewerName)).toEqual(names);
    // 2,000 neighbouring ids in 16.7 million names: a collision or two at most (expected 0.12).
    expect(new Set(names).size).toBeGreaterThanOrEqual(ids.length - 2);
  });
});
