import { describe, expect, it } from 'vitest';
import type { FighterCard } from '@stream-fighter/core';
import { FighterCard as FighterCardSchema } from '@stream-fighter/core/protocol';
import { cardLine, cardLineHtml, FLAME, FLAME_MIN_STREAK, flameSvg, recordText } from './fighter-card.ts';

const card = (c: Partial<FighterCard>): FighterCard => FighterCardSchema.parse({ tier: 'S', wins: 14, losses: 3, ties: 0, streak: 0, debut: false, ...c });

describe("a fighter's card line", () => {
  it('reads tier and record, with ties only when there are some', () => {
    expect(cardLine(card({}), 'en')).toEqual({ text: 'S · 14-3', debut: false, flame: null, label: 'S · 14-3' });
    expect(cardLine(card({ tier: 'B', ties: 2 }), 'en').text).toBe('B · 14-3-2');
    expect(recordText({ wins: 0, losses: 0, ties: 0 }, 'en')).toBe('0-0');
  });

  it('writes the numbers as the language does (formatNumber)', () => {
    expect(recordText({ wins: 12_345, losses: 1_234, ties: 1 }, 'en')).toBe('12,345-1,234-1');
    expect(recordText({ wins: 12_345, losses: 1_234, ties: 1 }, 'es')).toBe('12.345-1234-1');
  });

  it('says NEW on a debut, whatever the rest of the card says', () => {
    expect(cardLine(card({ tier: 'N', wins: 0, losses: 0, debut: true }), 'en')).toMatchObject({ text: 'NEW', debut: true, flame: null });
    expect(cardLine(card({ tier: 'N', wins: 0, losses: 0, debut: true }), 'es').text).toBe('NUEVO');
  });

  it('lights the flame from three wins in a row, never for losses', () => {
    expect(FLAME_MIN_STREAK).toBe(3);
    expect(cardLine(card({ streak: 2 }), 'en').flame).toBeNull();
    expect(cardLine(card({ streak: -5 }), 'en').flame).toBeNull();
    const hot = cardLine(card({ streak: 3 }), 'en');
    expect(hot).toMatchObject({ text: 'S · 14-3', flame: 3, label: 'S · 14-3, 3 wins in a row' });
    expect(cardLine(card({ streak: 1_200, wins: 1_200 }), 'es').label).toBe('S · 1200-3, 1200 victorias seguidas');
  });

  it('draws the flame from the one path, for the pages as inline SVG', () => {
    const svg = flameSvg(20);
    expect(svg).toContain(`d="${FLAME.outer}"`);
    expect(svg).toContain(`d="${FLAME.inner}"`);
    expect(svg).toContain('aria-hidden="true"');
    expect(svg).toContain('width="20"');
  });

  it('writes the line as HTML for the pages: the label as its name, the flame only with a streak', () => {
    expect(cardLineHtml(card({}), 'en')).toBe('<span class="fcard" role="img" aria-label="S · 14-3" title="S · 14-3">S · 14-3</span>');
    const hot = cardLineHtml(card({ streak: 4 }), 'es');
    expect(hot).toContain('aria-label="S · 14-3, 4 victorias seguidas"');
    expect(hot).toContain(`${flameSvg(16)}4</span>`);
    expect(cardLineHtml(card({ tier: 'N', wins: 0, losses: 0, debut: true }), 'en')).toMatch(/^<span class="fcard fcard--new" [^>]*>NEW<\/span>$/);
  });
});
