/**
 * Tiers from ratings: S, A, B, C by rank among the active fighters, and N for newcomers.
 *
 * Why percentiles and not fixed rating thresholds: Elo ratings spread out slowly (K = 32 moves a fighter at most 32
 * points a fight) and keep spreading as the roster ages, so fixed cut-offs would leave S empty for the first weeks
 * and overfull later. Ranks keep every tier populated in the same proportions whatever the spread, so matchmaking
 * always finds same-tier opponents. The price: a fighter's tier can change when others fight, which is what a
 * ladder does anyway.
 *
 * Rules
 * - N: fewer than `minFights` fights (default 5). Not ranked, and not counted in anyone's percentile.
 * - Ranked: everyone else. Its percentile is (number of ACTIVE ranked fighters rated strictly higher) / (number of
 *   active ranked fighters, itself included if it is retired). Equal ratings share a tier.
 * - S below TIER_SHARES.S percent (top 10 %), A below S + A (next 20 %), B below S + A + B (next 40 %), C the rest.
 * - Retired fighters keep a tier for their page, measured against the active field.
 */

export const TIERS = ['S', 'A', 'B', 'C', 'N'] as const;
export type Tier = (typeof TIERS)[number];
export const RANKED_TIERS = ['S', 'A', 'B', 'C'] as const;

/** The share of the active ranked field in each tier, in whole percent, best first; C takes what is left. Integers,
 * so the cut-offs are exact (0.1 + 0.2 is not 0.3 in floating point). */
export const TIER_SHARES = { S: 10, A: 20, B: 40 } as const;
export type TierShares = { S: number; A: number; B: number };
export const TIER_DEFAULTS = { minFights: 5 } as const;

export type TierOptions = { minFights?: number; shares?: TierShares };

export type Rated = { id: string; rating: number; fights: number; retired?: boolean };

/** The tier of every fighter given, by id. */
export function assignTiers(fighters: readonly Rated[], options: TierOptions = {}): Map<string, Tier> {
  const minFights = options.minFights ?? TIER_DEFAULTS.minFights;
  const shares = options.shares ?? TIER_SHARES;
  const active = fighters
    .filter((f) => f.fights >= minFights && !f.retired)
    .map((f) => f.rating)
    .sort((x, y) => y - x);
  const tiers = new Map<string, Tier>();
  for (const f of fighters) {
    if (f.fights < minFights) {
      tiers.set(f.id, 'N');
      continue;
    }
    const higher = countAbove(active, f.rating);
    const field = active.length + (f.retired ? 1 : 0);
    tiers.set(f.id, tierForRank(higher, field, shares));
  }
  return tiers;
}

/** The tier of a fighter with `higher` fighters rated above it in a field of `field`: its percentile, in integers. */
export function tierForRank(higher: number, field: number, shares: TierShares = TIER_SHARES): Tier {
  const p = higher * 100;
  if (p < shares.S * field) return 'S';
  if (p < (shares.S + shares.A) * field) return 'A';
  if (p < (shares.S + shares.A + shares.B) * field) return 'B';
  return 'C';
}

/** How far apart two tiers are for matchmaking: 0 same, 1 neighbours. N sits with B: a newcomer starts at the mean rating. */
export function tierDistance(a: Tier, b: Tier): number {
  const place = (t: Tier) => (t === 'N' ? 2 : RANKED_TIERS.indexOf(t));
  return Math.abs(place(a) - place(b));
}

/** Entries of `desc` (sorted high to low) strictly greater than `rating`. */
function countAbove(desc: readonly number[], rating: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((desc[mid] as number) > rating) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
