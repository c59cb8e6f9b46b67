/**
 * The betting odds as people read them, the same numbers on the vote page (web/src/lib/bet-text.ts) and on the
 * stream's odds strip (render-node draw-odds.ts): each side's pool and what a point returns if it wins (the
 * pari-mutuel multiplier, two decimals), the total staked, and, for the stream, how long until bets close as a
 * viewer of the stream sees it. Numbers go through formatNumber.
 *
 * The stream airs STREAM_DELAY_MS late, so it counts down to the room's closing time less that delay
 * (`odds.streamDelayMs`): what airs may say "Bets closed" up to the delay early, never "open" after the room closed.
 */
import type { OptionId, RoundOdds } from '@stream-fighter/core';
import { formatNumber } from './format.ts';
import type { Lang } from './languages.ts';
import { translator } from './words.ts';

/** A side's fighter (or poll option) name by its option id. */
export type OddsNames = (id: OptionId) => string;

/** What the stream shows for a side nobody has backed yet: no multiplier exists (nothing to share). */
export const NO_MULTIPLIER = '—';

export type OddsSide = {
  option: OptionId;
  name: string;
  /** The side's pool, written as the language writes numbers. */
  pool: string;
  /** What a point returns if the side wins, two decimals ("1.33" / "1,33"); null while nobody backs it. */
  mult: string | null;
};

/** A multiplier as both the site and the stream show it: rounded to two decimals, trailing zeros dropped (1.8). */
export function multiplierText(multiplier: number | null, lang: Lang): string | null {
  return multiplier === null ? null : formatNumber(Math.round(multiplier * 100) / 100, lang);
}

export function oddsSides(odds: Pick<RoundOdds, 'sides'>, name: OddsNames, lang: Lang): OddsSide[] {
  return odds.sides.map((s) => ({ option: s.option, name: name(s.option), pool: formatNumber(s.pool, lang), mult: multiplierText(s.multiplier, lang) }));
}

/** The room time from which the stream shows bets closed: the room's closing time less the stream's delay. */
export function streamClosesAt(odds: Pick<RoundOdds, 'closesAt' | 'streamDelayMs'>): number {
  // Rooms older than the setting send no delay: the stream is then taken to be live.
  return odds.closesAt - (odds.streamDelayMs ?? 0);
}

/** ms until the stream shows bets closed, at room time `serverNow`; never below 0. */
export function streamCloseLeftMs(odds: Pick<RoundOdds, 'closesAt' | 'streamDelayMs'>, serverNow: number): number {
  return Math.max(0, streamClosesAt(odds) - serverNow);
}

/** The stream's odds strip in words: a line per side, the total staked and the countdown. */
export type OddsStrip = {
  sides: Array<{ option: OptionId; name: string; mult: string }>;
  staked: string;
  /** "Bets close in 4" (whole seconds, rounded up as the round clock does), then "Bets closed" at 0. */
  closing: string;
  closed: boolean;
};

export function oddsStrip(odds: Pick<RoundOdds, 'sides' | 'total'>, name: OddsNames, closeLeftMs: number, lang: Lang): OddsStrip {
  const t = translator(lang);
  const closed = closeLeftMs <= 0;
  const seconds = Math.ceil(closeLeftMs / 1000);
  return {
    sides: oddsSides(odds, name, lang).map((s) => ({ option: s.option, name: s.name, mult: s.mult === null ? NO_MULTIPLIER : t('bet.mult', { mult: s.mult }) })),
    staked: t('bet.staked', { points: formatNumber(odds.total, lang) }),
    closing: closed ? t('bet.closedShort') : t('bet.closesIn', { s: formatNumber(seconds, lang) }),
    closed,
  };
}
