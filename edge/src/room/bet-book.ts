/**
 * The room's book of play-money bets (issue 14, "Predictions with points"): each web voter's balance and their one
 * bet per poll, in the room's SQLite, with the pure rules of core/season/parimutuel.ts.
 *
 * Rules
 * - A voter without a row has POINTS.start; the row is written with their first bet.
 * - The betting window is a round's announcement: from when the round before it finishes (its finish card and
 *   results, when its poll id is fixed: round-runner.ts upcoming) through its own intro (ROUND_PHASES_MS, longer by
 *   STREAM_DELAY_MS). Once it is live its bets are closed. Bets go to one book at a time (`openBook`).
 * - One bet per voter per poll; the stake leaves the balance when the bet is placed (never below zero: the stake
 *   is checked against the balance, and the column refuses a negative value).
 * - Bailout: applied when a bet is settled (the only moment a balance below the floor can appear, since only a
 *   stake lowers it, and while it rides the voter has a bet open) and, for a balance stored below the floor some
 *   other way (a floor raised later), when the voter next bets or asks for their balance.
 * - Settlement runs in the round runner's archive step (round-runner.ts), the same synchronous step that writes the
 *   outbox and the previous result, so the output gate commits the payouts with the finished round: an eviction
 *   before it loses neither (the round is still live and finishes again), an eviction after it cannot pay again.
 *   A settled poll is also marked (bet_polls), so a second call for the same poll pays nothing.
 * - Bounded: bets of the live poll and the last settled one only (older ones go when a poll is settled). Balances
 *   are one row per voter who bet within a session's life: a row whose balance has not changed for longer than a
 *   session lives (30 days, voter/session.ts) belongs to a voter whose every session has expired, since changing it
 *   takes a valid one, so no request can name it again; settling a poll deletes such rows. Sessions cost a proof
 *   of work and are capped per address per hour, so what can be there at once is what 30 days of minting allows.
 */
import { bailout, liveOdds, POINTS, settle, validateStake, type Bet, type BetResult, type OptionId, type PlacedBet, type RoundOdds, type RoundResult, type RoundState, type ViewerStanding } from '@stream-fighter/core';
import { hash32 } from '@stream-fighter/core/hash';
import { log } from '../log.ts';
import { SESSION_MAX_AGE_SEC } from '../voter/session.ts';

export interface BetInput {
  voterId: string;
  pollId: string;
  option: string;
  points: number;
}

export type BetRefusal =
  | { ok: false; code: 'bets-closed' | 'stale-poll' | 'unknown-option' | 'banned' | 'invalid-stake'; message: string }
  | { ok: false; code: 'already-bet'; message: string; bet: PlacedBet }
  | { ok: false; code: 'over-balance'; message: string; balance: number };

export type BetOutcome = { ok: true; bet: PlacedBet; balance: number; odds: RoundOdds } | BetRefusal;

export type { ViewerStanding };

/** The most rows leaderboard() returns, whatever it is asked for: each row is read from the room's SQLite. */
export const LEADERBOARD_MAX = 100;

/**
 * A viewer's public pseudonym (protocol.ts ViewerName): 24 bits of a hash of their voter id. A voter id is 128
 * bits of an HMAC (voter/derived-id.ts), so 24 bits of its hash cannot lead back to it or to the session; the
 * prefix keeps it apart from every other hash of the id (vote shards use hash32 of the bare id). Two viewers can
 * share one (about 1 in 16.7 million for a given pair): it names a row, it is not an account.
 */
export function viewerName(voterId: string): string {
  return (hash32(`viewer-name:${voterId}`) >>> 8).toString(16).toUpperCase().padStart(6, '0');
}

export interface MeView {
  /** The voter's pseudonym, as the viewers' leaderboard shows it. */
  name: string;
  balance: number;
  bet: PlacedBet | null;
  lastResult: BetResult | null;
  odds: RoundOdds;
}

export interface BetBookContext {
  sql: SqlStorage;
  now: () => number;
  /** The current round, brought up to the room's time first (the runner's advance + round). */
  round: () => RoundState;
  /** The round finished last (the runner's previous): a bet naming it is told bets are closed, not that it is unknown. */
  previousPollId: () => string | null;
  /** STREAM_DELAY_MS, told to the stream with the odds. */
  streamDelayMs?: () => number;
  /** The round announced next once the live one finished (round-runner.ts upcoming), or null. */
  upcoming: () => { pollId: string; matchup: { options: ReadonlyArray<{ id: OptionId }> }; liveAt: number } | null;
  isBanned: (voterId: string) => boolean;
}

type BetRow = { poll_id: string; voter_id: string; option: string; stake: number; at: number; payout: number | null; bailout: number | null };

export class BetBook {
  private readonly c: BetBookContext;
  /** The current poll's odds, recomputed only after a bet or a settlement (GET /api/me asks far more often). */
  private oddsMemo: { pollId: string; odds: Omit<RoundOdds, 'open' | 'closesAt'> } | null = null;

  constructor(c: BetBookContext) {
    this.c = c;
    c.sql.exec(`CREATE TABLE IF NOT EXISTS bet_balances (voter_id TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0), last_at INTEGER NOT NULL DEFAULT 0)`);
    // Tables made before balances were pruned have no last_at: added, as 0 (pruned at the next settlement unless used).
    const columns = c.sql.exec<{ name: string }>(`PRAGMA table_info(bet_balances)`).toArray();
    if (!columns.some((col) => col.name === 'last_at')) c.sql.exec(`ALTER TABLE bet_balances ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0`);
    // payout and bailout stay null until the poll is settled.
    c.sql.exec(
      `CREATE TABLE IF NOT EXISTS bets (poll_id TEXT NOT NULL, voter_id TEXT NOT NULL, option TEXT NOT NULL, stake INTEGER NOT NULL CHECK (stake > 0), at INTEGER NOT NULL, payout INTEGER, bailout INTEGER, PRIMARY KEY (poll_id, voter_id))`,
    );
    // GET /api/me looks a voter's bets up by voter: without this it would scan every bet of two rounds.
    c.sql.exec(`CREATE INDEX IF NOT EXISTS bets_by_voter ON bets (voter_id)`);
    // The viewers' leaderboard reads balances in its order (leaderboard()): with this it stops after its rows.
    c.sql.exec(`CREATE INDEX IF NOT EXISTS bet_balances_by_rank ON bet_balances (balance DESC, last_at, voter_id)`);
    c.sql.exec(`CREATE TABLE IF NOT EXISTS bet_polls (poll_id TEXT PRIMARY KEY, winner TEXT, refund TEXT, settled_at INTEGER NOT NULL)`);
  }

  /** A bet, checked and placed in one synchronous step: the stake and the bet row commit together. */
  place(input: BetInput): BetOutcome {
    const round = this.c.round();
    const book = this.openBook(round);
    if (this.c.isBanned(input.voterId)) return { ok: false, code: 'banned', message: 'this voter was banned by an operator' };
    if (input.pollId !== book.pollId) {
      if (input.pollId === round.pollId || input.pollId === this.c.previousPollId()) return { ok: false, code: 'bets-closed', message: `poll ${input.pollId} is over or under way; bets are taken on ${book.pollId}` };
      return { ok: false, code: 'stale-poll', message: `poll ${input.pollId} is not the one bets are taken on (${book.pollId})` };
    }
    if (!book.open) return { ok: false, code: 'bets-closed', message: `bets closed when the round went live (it is ${round.phase})` };
    if (!book.options.includes(input.option as OptionId)) return { ok: false, code: 'unknown-option', message: `option ${input.option} is not in this poll` };
    const held = this.betOf(input.pollId, input.voterId);
    if (held) return { ok: false, code: 'already-bet', message: `you already bet ${held.points} on ${held.option} in this round`, bet: held };
    const balance = this.balanceOf(input.voterId);
    const check = validateStake(input.points, balance);
    if (!check.ok) {
      if (check.reason === 'over-balance') return { ok: false, code: 'over-balance', message: `you have ${balance} points; a stake of ${input.points} is more`, balance };
      return { ok: false, code: 'invalid-stake', message: `a stake is a whole number of points above 0 (${check.reason})` };
    }
    const at = this.c.now();
    this.c.sql.exec(`INSERT INTO bets (poll_id, voter_id, option, stake, at) VALUES (?, ?, ?, ?, ?)`, input.pollId, input.voterId, input.option, check.stake, at);
    this.setBalance(input.voterId, balance - check.stake);
    this.oddsMemo = null;
    const bet: PlacedBet = { pollId: input.pollId, option: input.option as OptionId, points: check.stake, at };
    return { ok: true, bet, balance: balance - check.stake, odds: this.odds(round) };
  }

  /**
   * Pays out a finished round's bets, once: called from the runner's archive step (see the rules above). Drops
   * the bets of every older poll.
   */
  settle(result: RoundResult): void {
    const at = this.c.now();
    const bets = this.c.sql
      .exec<BetRow>(`SELECT * FROM bets WHERE poll_id = ? AND payout IS NULL ORDER BY rowid`, result.pollId)
      .toArray()
      .map((r): Bet => ({ bettor: r.voter_id, option: r.option as OptionId, stake: r.stake }));
    const settlement = settle(bets, result.outcome.winner);
    const refund = settlement.kind === 'refund' && settlement.reason !== 'no-bets' ? settlement.reason : null;
    const marked = this.c.sql.exec(`INSERT INTO bet_polls (poll_id, winner, refund, settled_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, result.pollId, result.outcome.winner, refund, at);
    if (marked.rowsWritten === 0) {
      log.warn('bets.settle-again', { pollId: result.pollId });
      return;
    }
    let paid = 0;
    let granted = 0;
    for (const p of settlement.payouts) {
      // Only a stake lowers a balance, and this bet was the voter's only open one (bets are taken for the current
      // round alone): with it settled, a balance under the floor is bailed out now.
      const topped = bailout(this.storedBalance(p.bettor) + p.payout);
      this.setBalance(p.bettor, topped.balance);
      this.c.sql.exec(`UPDATE bets SET payout = ?, bailout = ? WHERE poll_id = ? AND voter_id = ?`, p.payout, topped.granted, result.pollId, p.bettor);
      paid += p.payout;
      granted += topped.granted;
    }
    this.c.sql.exec(`DELETE FROM bets WHERE poll_id <> ?`, result.pollId);
    this.c.sql.exec(`DELETE FROM bet_polls WHERE poll_id <> ?`, result.pollId);
    // Balances no session can name any more (see Bounded above); one with a bet still riding stays.
    this.c.sql.exec(`DELETE FROM bet_balances WHERE last_at < ? AND voter_id NOT IN (SELECT voter_id FROM bets WHERE payout IS NULL)`, at - SESSION_MAX_AGE_SEC * 1000);
    this.oddsMemo = null;
    if (bets.length > 0) log.info('bets.settled', { pollId: result.pollId, winner: result.outcome.winner, bets: bets.length, staked: bets.reduce((s, b) => s + b.stake, 0), paid, bailouts: granted, refund });
  }

  /** What GET /api/me shows a voter. */
  me(voterId: string): MeView {
    const round = this.c.round();
    const open = this.c.sql.exec<BetRow>(`SELECT * FROM bets WHERE voter_id = ? AND payout IS NULL ORDER BY at DESC LIMIT 1`, voterId).toArray()[0];
    const last = this.c.sql
      .exec<BetRow & { winner: string | null; refund: string | null; settled_at: number }>(
        `SELECT b.*, p.winner, p.refund, p.settled_at FROM bets b JOIN bet_polls p ON p.poll_id = b.poll_id WHERE b.voter_id = ? AND b.payout IS NOT NULL ORDER BY p.settled_at DESC LIMIT 1`,
        voterId,
      )
      .toArray()[0];
    const lastResult: BetResult | null = last
      ? {
          ...placed(last),
          payout: last.payout ?? 0,
          net: (last.payout ?? 0) - last.stake,
          winner: last.winner as OptionId | null,
          refund: last.refund as BetResult['refund'],
          bailout: last.bailout ?? 0,
          settledAt: last.settled_at,
        }
      : null;
    return { name: viewerName(voterId), balance: this.balanceOf(voterId), bet: open ? placed(open) : null, lastResult, odds: this.odds(round) };
  }

  /**
   * The viewers' leaderboard: at most `limit` (capped at LEADERBOARD_MAX) of the highest balances, banned voters
   * left out. Only voters who have bet have a row, so only they are on it. Equal balances share a rank and go in
   * a fixed order: who reached the balance first (last_at), then the voter id. The balance is the stored one: the
   * same as GET /api/me's except for a balance under the floor with no bet riding (a floor raised since), which
   * GET /api/me already shows bailed out and this shows as it is until the voter next bets.
   * Read in pages along the index, so a call reads its rows plus the banned voters among them, not the table.
   */
  leaderboard(limit: number): ViewerStanding[] {
    const want = Math.min(LEADERBOARD_MAX, Math.max(0, Math.floor(Number.isFinite(limit) ? limit : 0)));
    const out: ViewerStanding[] = [];
    let offset = 0;
    while (out.length < want) {
      const page = Math.max(want - out.length, 8) + 8;
      const rows = this.c.sql
        .exec<{ voter_id: string; balance: number }>(`SELECT voter_id, balance FROM bet_balances ORDER BY balance DESC, last_at, voter_id LIMIT ? OFFSET ?`, page, offset)
        .toArray();
      for (const r of rows) {
        if (out.length === want) break;
        if (this.c.isBanned(r.voter_id)) continue;
        const above = out.at(-1);
        out.push({ rank: above && above.balance === r.balance ? above.rank : out.length + 1, name: viewerName(r.voter_id), balance: r.balance });
      }
      if (rows.length < page) break;
      offset += page;
    }
    return out;
  }

  /**
   * The book bets go to now: once the live round has finished, the round announced next (its poll id is fixed
   * then: round-runner.ts upcoming), open until it goes live; else the current round, open in its intro.
   */
  private openBook(round: RoundState): { pollId: string; options: OptionId[]; open: boolean; closesAt: number } {
    const next = this.c.upcoming();
    if (next) return { pollId: next.pollId, options: next.matchup.options.map((o) => o.id), open: true, closesAt: next.liveAt };
    return { pollId: round.pollId, options: round.matchup.options.map((o) => o.id), open: round.phase === 'upcoming', closesAt: round.liveAt };
  }

  /** The pools and multipliers of the book bets go to now (the next round's once the live one finished). */
  odds(round: RoundState): RoundOdds {
    const book = this.openBook(round);
    if (this.oddsMemo?.pollId !== book.pollId) {
      const bets = this.c.sql
        .exec<{ voter_id: string; option: string; stake: number }>(`SELECT voter_id, option, stake FROM bets WHERE poll_id = ?`, book.pollId)
        .toArray()
        .map((r): Bet => ({ bettor: r.voter_id, option: r.option as OptionId, stake: r.stake }));
      this.oddsMemo = { pollId: book.pollId, odds: { pollId: book.pollId, ...liveOdds(bets, book.options) } };
    }
    return { ...this.oddsMemo.odds, open: book.open, closesAt: book.closesAt, streamDelayMs: this.c.streamDelayMs?.() ?? 0 };
  }

  /**
   * An operator's erasure request: the voter's balance and bets go, an open one included (its stake leaves the
   * pools; the bets left settle among themselves, as ever conserving points). Returns how many rows went.
   */
  forget(voterId: string): number {
    const bets = this.c.sql.exec(`DELETE FROM bets WHERE voter_id = ?`, voterId).rowsWritten;
    const balances = this.c.sql.exec(`DELETE FROM bet_balances WHERE voter_id = ?`, voterId).rowsWritten;
    this.oddsMemo = null;
    return bets + balances;
  }

  /** What the voter can stake now: their stored balance, bailed out to the floor when it is below it with no bet open. */
  private balanceOf(voterId: string): number {
    const stored = this.storedBalance(voterId);
    if (stored >= POINTS.floor) return stored;
    const riding = this.c.sql.exec(`SELECT 1 FROM bets WHERE voter_id = ? AND payout IS NULL LIMIT 1`, voterId).toArray().length > 0;
    return riding ? stored : bailout(stored).balance;
  }

  private storedBalance(voterId: string): number {
    const row = this.c.sql.exec<{ balance: number }>(`SELECT balance FROM bet_balances WHERE voter_id = ?`, voterId).toArray()[0];
    return row ? row.balance : POINTS.start;
  }

  private setBalance(voterId: string, balance: number): void {
    if (!Number.isSafeInteger(balance) || balance < 0) throw new RangeError(`balance ${balance} for ${voterId}: a balance is a whole number of points, never below zero`);
    this.c.sql.exec(
      `INSERT INTO bet_balances (voter_id, balance, last_at) VALUES (?, ?, ?) ON CONFLICT (voter_id) DO UPDATE SET balance = excluded.balance, last_at = excluded.last_at`,
      voterId,
      balance,
      this.c.now(),
    );
  }

  private betOf(pollId: string, voterId: string): PlacedBet | null {
    const row = this.c.sql.exec<BetRow>(`SELECT * FROM bets WHERE poll_id = ? AND voter_id = ?`, pollId, voterId).toArray()[0];
    return row ? placed(row) : null;
  }
}

function placed(row: BetRow): PlacedBet {
  return { pollId: row.poll_id, option: row.option as OptionId, points: row.stake, at: row.at };
}
