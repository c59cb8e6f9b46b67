import { describe, expect, it } from 'vitest';
import { defaultScreen } from '@stream-fighter/core';
import { overlayPath, shownParts } from './overlay-show.ts';

const partsOf = (path: string) => [...shownParts(new URL(path, 'http://x').searchParams)].sort();

describe("a screen's overlay address", () => {
  it('names only the language when every part is on, and the overlay then shows everything', () => {
    const path = overlayPath(defaultScreen('fight', 'es'));
    expect(path).toBe('/overlay?lang=es');
    expect(partsOf(path)).toEqual(['chat', 'qr', 'shoutouts', 'ticker']);
  });

  it('lists the parts that are on, and the overlay reads back exactly those', () => {
    const screen = defaultScreen('lobby');
    const path = overlayPath({ ...screen, show: { ...screen.show, chat: false, ticker: false } });
    expect(path).toBe('/overlay?lang=en&show=qr,shoutouts');
    expect(partsOf(path)).toEqual(['qr', 'shoutouts']);
    expect(partsOf(overlayPath({ ...screen, show: { qr: false, ticker: false, shoutouts: false, chat: false } }))).toEqual([]);
  });

  it('ignores names that are not parts, and reads an encoded comma', () => {
    expect(partsOf('/overlay?show=chat,,bogus,%20qr')).toEqual(['chat', 'qr']);
    expect(partsOf('/overlay?show=chat%2Cqr')).toEqual(['chat', 'qr']);
  });
});
