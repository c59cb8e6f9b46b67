/**
 * Dates as the site writes them (past matches, a fighter's fights, champions). Site-only: the stream shows no
 * dates, and Intl's date data has no place in the render node (view/src/format.ts says why it avoids Intl).
 */
import type { Lang } from '@stream-fighter/view/languages';

const LOCALE: Record<Lang, string> = { en: 'en-GB', es: 'es-ES' };

/** "7 Dec 2026, 12:29" (or without the time). */
export function formatDate(ms: number, lang: Lang, opts: { time?: boolean } = {}): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'medium', ...(opts.time === false ? {} : { timeStyle: 'short' }) }).format(ms);
}
