/**
 * Matchmaking: who fights next, from the roster the caller read (fighters with a tier, when they last fought, whom
 * they last fought). Pure and deterministic: the same roster, time, seed and options give the same pairing,
 * whatever order the roster is listed in.
 *
 * Rules
 * - Eligible: not retired by flag, and fought within `retireAfterMs` (a fighter that never fought is eligible).
 *   Retired fighters keep their records and pages; they only stop being picked.
 * - Below `minRoster` eligible fighters every round is a debut (the roster must grow to fill a bracket); with
 *   none or one there is nobody or only one to fight, so the caller makes two new fighters ('fresh') or one.
 * - Otherwise a round is a debut with probability `debutShare`: a new fighter (made by the caller) against an
 *   eligible fighter of a tier next to N's place (A, B, C or N: a newcomer starts at the mean rating).
 * - A pair: the first fighter uniformly among the eligible; the second among those of the same or a neighbouring
 *   tier (any tier in an exhibition) that are not an immediate rematch (neither one's last opponent is the other).
 *   When nobody fits, the tier rule is dropped first, then the rematch rule: a small roster still gets a fight.
 */
import { mulberry32, pick } from '../prng.ts';
import type { Rng } from '../prng.ts';
import { tierDistance } from './tiers.ts';
import type { Tier } from './tiers.ts';

export type RosterEntry = {
  id: string;
  tier: Tier;
  /** ms epoch; null for a fighter that has not fought yet. */
  lastFoughtAt: number | null;
  lastOpponent?: string | null;
  /** Set by an operator (or the caller's own rule); a retired fighter is never picked. */
  retired?: boolean;
};

export type MatchmakingOptions = {
  /** Share of rounds (0–1) that debut a new fighter. */
  debutShare?: number;
  /** A fighter idle longer than this is retired from matchmaking. */
  retireAfterMs?: number;
  /** Below this many eligible fighters, every round is a debut. */
  minRoster?: number;
  /** 'exhibition' ignores tiers and debuts more often by default (EXHIBITION_DEBUT_SHARE). */
  mode?: 'matchmaking' | 'exhibition';
};

export const MATCHMAKING_DEFAULTS = {
  debutShare: 0.1,
  retireAfterMs: 3 * 24 * 3600 * 1000,
  minRoster: 8,
} as const;
export const EXHIBITION_DEBUT_SHARE = 0.5;

export type Pairing =
  | { kind: 'pair'; a: string; b: string }
  /** A new fighter (the caller makes it) against `opponent`. */
  | { kind: 'debut'; opponent: string }
  /** Nobody eligible: two new fighters. */
  | { kind: 'fresh' };

export function isEligible(f: RosterEntry, now: number, retireAfterMs: number = MATCHMAKING_DEFAULTS.retireAfterMs): boolean {
  return !f.retired && (f.lastFoughtAt === null || now - f.lastFoughtAt <= retireAfterMs);
}

export function nextPairing(roster: readonly RosterEntry[], at: { now: number; seed: number }, options: MatchmakingOptions = {}): Pairing {
  const exhibition = options.mode === 'exhibition';
  const debutShare = options.debutShare ?? (exhibition ? EXHIBITION_DEBUT_SHARE : MATCHMAKING_DEFAULTS.debutShare);
  const retireAfterMs = options.retireAfterMs ?? MATCHMAKING_DEFAULTS.retireAfterMs;
  const minRoster = options.minRoster ?? MATCHMAKING_DEFAULTS.minRoster;
  const rng = mulberry32(at.seed);
  // Sorted by id so the caller's order (a database's row order) cannot change the outcome.
  const eligible = roster.filter((f) => isEligible(f, at.now, retireAfterMs)).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (eligible.length === 0) return { kind: 'fresh' };
  const debut = rng() < debutShare;
  if (eligible.length < Math.max(2, minRoster) || debut) return { kind: 'debut', opponent: debutOpponent(rng, eligible).id };

  const a = pick(rng, eligible);
  const others = eligible.filter((f) => f.id !== a.id);
  const fresh = (f: RosterEntry) => f.lastOpponent !== a.id && a.lastOpponent !== f.id;
  const near = (f: RosterEntry) => exhibition || tierDistance(f.tier, a.tier) <= 1;
  const tiers = [others.filter((f) => near(f) && fresh(f)), others.filter(fresh), others];
  const b = pick(rng, tiers.find((c) => c.length > 0) as RosterEntry[]);
  return { kind: 'pair', a: a.id, b: b.id };
}

function debutOpponent(rng: Rng, eligible: readonly RosterEntry[]): RosterEntry {
  const near = eligible.filter((f) => tierDistance(f.tier, 'N') <= 1);
  return pick(rng, near.length > 0 ? near : eligible);
}
