/**
 * What the vote page's points panel says (scripts/bet-panel.ts): balance, odds, the bet riding and what a settled
 * bet did. Pure, so it is tested without a browser; words from view/words, numbers from view/format.
 */
import type { BetResult, RoundOdds } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import type { Lang } from '@stream-fighter/view/languages';
import { oddsSides, type OddsNames } from '@stream-fighter/view/odds-line';
import type { Translate, WordKey } from '@stream-fighter/view/words';

export function pointsText(t: Translate, lang: Lang, points: number): string {
  return t('bet.balance', { points: formatNumber(points, lang) });
}

/**
 * One line per side: its pool and what a point returns if it wins, or that nobody backs it yet. The numbers are the
 * ones the stream's odds strip shows (view/odds-line.ts); the sentence is the page's.
 */
export function oddsLines(t: Translate, lang: Lang, odds: Pick<RoundOdds, 'sides'>, name: OddsNames): string[] {
  return oddsSides(odds, name, lang).map((s) => (s.mult === null ? t('bet.oddsNone', { name: s.name }) : t('bet.oddsSide', { name: s.name, pool: s.pool, mult: s.mult })));
}

/** What a settled bet did, then the bailout when one was granted. */
export function resultLines(t: Translate, lang: Lang, r: BetResult, balanceAfter: number): string[] {
  const n = (points: number) => formatNumber(points, lang);
  const first =
    r.refund === 'tie'
      ? t('bet.refundTie', { points: n(r.points) })
      : r.refund !== null
        ? t('bet.refundOneSide', { points: n(r.points) })
        : r.net > 0
          ? t('bet.won', { points: n(r.net) })
          : t('bet.lost', { points: n(-r.net) });
  return r.bailout > 0 ? [first, t('bet.bailout', { points: n(balanceAfter) })] : [first];
}

const REFUSALS: Record<string, WordKey> = {
  'over-balance': 'bet.overBalance',
  'already-bet': 'bet.already',
  'bets-closed': 'bet.tooLate',
  'stale-poll': 'bet.tooLate',
};

/** A refused bet, by the API's error code; any other code is shown as itself. */
export function betRefusalText(t: Translate, code: string): string {
  return Object.hasOwn(REFUSALS, code) ? t(REFUSALS[code]!) : t('bet.failed', { reason: code });
}
