/** A fighter's record and streak in words and numbers, the same in the table and on the fighter's page. */
import { formatNumber } from '@stream-fighter/view/format';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';

/** "W-L-T", each with the shared number formatter: "14-3-1". */
export function recordText(f: { wins: number; losses: number; ties: number }, lang: Lang): string {
  return [f.wins, f.losses, f.ties].map((n) => formatNumber(n, lang)).join('-');
}

/** "3 W" for three wins in a row, "2 L" for two losses, "–" when there is none (after a tie or before a fight). */
export function streakText(streak: number, t: Translate, lang: Lang): string {
  if (streak > 0) return t('fighters.streakWins', { n: formatNumber(streak, lang) });
  if (streak < 0) return t('fighters.streakLosses', { n: formatNumber(-streak, lang) });
  return '–';
}
