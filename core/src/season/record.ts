/**
 * A fighter's record (wins, losses, ties, KOs, streak, rating) and how one finished fight changes two of them. Pure:
 * the database stores what these functions return, so the rules live here once.
 *
 * Fighter id: a slug of the display name plus a hash of the exact name, e.g. "el-tornado-1x9k2c". Why the name:
 * viewers know a fighter by its name (two fighters shown with one name would be one fighter to them), the archive
 * already keys fighters by name, and the built-in generator re-rolls a returning fighter's colour and tagline, so a
 * hash of the look would split one fighter into several. The hash suffix keeps names that slug alike apart
 * ("Señor Cóndor" and "Senor Condor") and the slug keeps the URL readable. The id is computed, not stored centrally,
 * so the room, the archive and a replay all derive the same id from a matchup alone.
 */
import type { Fighter } from '../matchup.ts';
import type { OptionId } from '../ids.ts';
import type { RoundResult } from '../round-state.ts';
import { isFight } from '../round.ts';
import { hash32 } from '../hash.ts';
import { applyElo, ELO } from './rating.ts';
import type { EloOptions, Score } from './rating.ts';

const SLUG_MAX = 40;

export function fighterId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return `${slug || 'fighter'}-${hash32(name).toString(36)}`;
}

export type FighterRecord = {
  rating: number;
  wins: number;
  losses: number;
  ties: number;
  /** Wins by KO. */
  kos: number;
  /** Positive: wins in a row; negative: losses in a row; 0 after a tie or before the first fight. */
  streak: number;
  fights: number;
  /** ms epoch of the first and the latest fight; null before the first. */
  firstFoughtAt: number | null;
  lastFoughtAt: number | null;
};

export const NEW_RECORD: FighterRecord = Object.freeze({
  rating: ELO.initial,
  wins: 0,
  losses: 0,
  ties: 0,
  kos: 0,
  streak: 0,
  fights: 0,
  firstFoughtAt: null,
  lastFoughtAt: null,
});

/** One fight from A's side: who won ('a', 'b', null for a tie), whether by KO, when it finished. */
export type FightOutcome = { winner: 'a' | 'b' | null; ko: boolean; at: number };

function scored(r: FighterRecord, score: Score, ko: boolean, rating: number, at: number): FighterRecord {
  const won = score === 1;
  const lost = score === 0;
  return {
    rating,
    wins: r.wins + (won ? 1 : 0),
    losses: r.losses + (lost ? 1 : 0),
    ties: r.ties + (score === 0.5 ? 1 : 0),
    kos: r.kos + (won && ko ? 1 : 0),
    streak: won ? Math.max(r.streak, 0) + 1 : lost ? Math.min(r.streak, 0) - 1 : 0,
    fights: r.fights + 1,
    // min/max: a round recorded late (a retried archive) must not move the first or the latest fight.
    firstFoughtAt: Math.min(r.firstFoughtAt ?? at, at),
    lastFoughtAt: Math.max(r.lastFoughtAt ?? at, at),
  };
}

/** Both records after one fight between two different fighters. */
export function recordFight(a: FighterRecord, b: FighterRecord, outcome: FightOutcome, options: EloOptions = {}): { a: FighterRecord; b: FighterRecord; delta: number } {
  const scoreA: Score = outcome.winner === 'a' ? 1 : outcome.winner === 'b' ? 0 : 0.5;
  const elo = applyElo(a.rating, b.rating, scoreA, options);
  return {
    a: scored(a, scoreA, outcome.ko, elo.a, outcome.at),
    b: scored(b, (1 - scoreA) as Score, outcome.ko, elo.b, outcome.at),
    delta: elo.delta,
  };
}

export type FightSide = { option: OptionId; id: string; fighter: Fighter };

/** A finished round as a fight between two fighters, or null: a plain poll (3–4 options) or a mirror match (one fighter twice). */
export function fightFromResult(result: Pick<RoundResult, 'matchup' | 'outcome' | 'finishedAt'>): { a: FightSide; b: FightSide; outcome: FightOutcome } | null {
  if (!isFight(result.matchup)) return null;
  const [oa, ob] = result.matchup.options as [RoundResult['matchup']['options'][number], RoundResult['matchup']['options'][number]];
  const a: FightSide = { option: oa.id, id: fighterId(oa.fighter.name), fighter: oa.fighter };
  const b: FightSide = { option: ob.id, id: fighterId(ob.fighter.name), fighter: ob.fighter };
  if (a.id === b.id) return null;
  const winner = result.outcome.winner === a.option ? 'a' : result.outcome.winner === b.option ? 'b' : null;
  return { a, b, outcome: { winner, ko: result.outcome.reason === 'ko', at: result.finishedAt } };
}
