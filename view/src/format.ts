/** Numbers and clocks as people read them, the same on the site, the overlay and the stream. */
import type { Lang } from './languages.ts';

const SEPARATORS: Record<Lang, { group: string; decimal: string; minGroupDigits: number }> = {
  en: { group: ',', decimal: '.', minGroupDigits: 1 },
  // Spanish groups thousands only from five digits on (CLDR minimumGroupingDigits 2): 1234, but 12.345.
  es: { group: '.', decimal: ',', minGroupDigits: 2 },
};

/**
 * The number as Intl.NumberFormat('en-US' / 'es-ES') writes it (grouped thousands, up to 3 decimals), without Intl:
 * in the render node the first Intl.NumberFormat pulls ~7 MB of ICU data and code into the process's RSS (pages
 * of the node binary), for two separators. The test checks it against Intl.
 */
export function formatNumber(n: number, lang: Lang): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const sep = SEPARATORS[lang];
  const [int = '0', frac = ''] = (Math.round(Math.abs(n) * 1000) / 1000).toFixed(3).split('.');
  const digits = frac.replace(/0+$/, '');
  let grouped = int;
  if (int.length > 3 && int.length >= 3 + sep.minGroupDigits) {
    grouped = '';
    for (let end = int.length; end > 0; end -= 3) grouped = int.slice(Math.max(0, end - 3), end) + (grouped ? sep.group + grouped : '');
  }
  const sign = n < 0 && (grouped !== '0' || digits) ? '-' : '';
  return sign + grouped + (digits ? sep.decimal + digits : '');
}

/** m:ss, rounded up so the clock shows 0:00 only when time is really up; never below 0:00. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
