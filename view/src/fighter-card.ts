/**
 * A fighter's card line next to its name, the same on the stream, the overlay and the vote page: its tier and
 * record ("S · 14-3", ties only when it has some: "S · 14-3-2"), "NEW" on a debut, and a streak flame from three
 * wins in a row. Tier letters are not words (the /fighters page shows them as they are); numbers go through
 * formatNumber.
 *
 * The flame is a drawn shape, not the 🔥 emoji: the render node's colour emoji font is optional (fonts.ts) and absent
 * from dev machines and CI, where the emoji would be a missing-glyph box; a shape is the same everywhere, stays
 * sharp at 20 px, and one path serves the canvas (Path2D takes SVG path data) and the pages (inline SVG).
 */
import type { FighterCard } from '@stream-fighter/core';
import { formatNumber } from './format.ts';
import { escapeHtml } from './html.ts';
import type { Lang } from './languages.ts';
import { translator } from './words.ts';

/** Wins in a row from which the flame shows. */
export const FLAME_MIN_STREAK = 3;

/** The flame in a 16×16 box, as SVG path data: an orange outer flame and its yellow core. */
export const FLAME = {
  size: 16,
  outer: 'M8 0C9 4 14 6 14 10.5C14 13.8 11.3 16 8 16C4.7 16 2 13.8 2 10.5C2 8 3.5 6.5 4.5 5.5C4.6 7.5 5.5 8.5 6.5 9C6 5.5 7 2.5 8 0Z',
  inner: 'M8 7C9 9.5 11 10.5 11 12.5C11 14.4 9.7 15.5 8 15.5C6.3 15.5 5 14.4 5 12.7C5 11.3 6 10.5 6.7 10C6.8 11 7.3 11.6 7.8 11.8C7.5 10 7.6 8.5 8 7Z',
  colors: { outer: '#ff6a00', inner: '#ffd23f' },
} as const;

export interface CardLine {
  /** "S · 14-3", or "NEW" on a debut. */
  text: string;
  debut: boolean;
  /** Wins in a row when the flame shows (FLAME_MIN_STREAK or more), else null; drawn as the flame and the number. */
  flame: number | null;
  /** The whole line in words, for screen readers and titles: "S · 14-3, 5 wins in a row". */
  label: string;
}

/** The record as "14-3", or "14-3-2" when there are ties. */
export function recordText(card: Pick<FighterCard, 'wins' | 'losses' | 'ties'>, lang: Lang): string {
  const parts = [card.wins, card.losses, ...(card.ties > 0 ? [card.ties] : [])];
  return parts.map((n) => formatNumber(n, lang)).join('-');
}

/**
 * A fighter's record once the round it began with is counted (the card is as it stood when the round began):
 * the vote page's results view says the new record before the room has read it back.
 */
export function recordAfter(card: Pick<FighterCard, 'wins' | 'losses' | 'ties'>, result: 'win' | 'loss' | 'tie'): Pick<FighterCard, 'wins' | 'losses' | 'ties'> {
  return { wins: card.wins + Number(result === 'win'), losses: card.losses + Number(result === 'loss'), ties: card.ties + Number(result === 'tie') };
}

export function cardLine(card: FighterCard, lang: Lang): CardLine {
  const t = translator(lang);
  if (card.debut) return { text: t('card.new'), debut: true, flame: null, label: t('card.debut') };
  const text = `${card.tier} · ${recordText(card, lang)}`;
  const flame = card.streak >= FLAME_MIN_STREAK ? card.streak : null;
  const label = flame === null ? text : `${text}, ${t('card.streak', { n: formatNumber(flame, lang) })}`;
  return { text, debut: false, flame, label };
}

/** The flame as inline SVG (aria-hidden: the line's label says the streak), `px` high. */
export function flameSvg(px: number): string {
  const { size, outer, inner, colors } = FLAME;
  return `<svg class="flame" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" aria-hidden="true"><path fill="${colors.outer}" d="${outer}"/><path fill="${colors.inner}" d="${inner}"/></svg>`;
}

/**
 * The line as HTML for the overlay and the vote page: `<span class="fcard">` (with `fcard--new` on a debut) holding
 * the text and, with a streak, the flame and its number; the label is its accessible name and tooltip.
 */
export function cardLineHtml(card: FighterCard, lang: Lang, flamePx = 16): string {
  const line = cardLine(card, lang);
  const streak = line.flame === null ? '' : ` <span class="fcard__streak">${flameSvg(flamePx)}${escapeHtml(formatNumber(line.flame, lang))}</span>`;
  const label = escapeHtml(line.label);
  return `<span class="fcard${line.debut ? ' fcard--new' : ''}" role="img" aria-label="${label}" title="${label}">${escapeHtml(line.text)}${streak}</span>`;
}
