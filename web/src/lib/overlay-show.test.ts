import { describe, expect, it } from 'vitest';
import { defaultScreen } from '@stream-fighter/core';
import { overlayPath, scenePath, shownParts } from './overlay-show.ts';
import { sceneParams } from '../scripts/scene-params.ts';

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

describe("a browser screen's /scene address", () => {
  const host = { origin: 'https://sf.example', viewport: { width: 1280, height: 720 }, languages: ['en-US'] };
  const read = (path: string) => sceneParams(new URL(path, host.origin).searchParams, host);

  it('carries the scene, language and parts, and /scene reads back exactly those', () => {
    const screen = defaultScreen('lobby', 'es');
    const path = scenePath({ ...screen, scene: 'bars', show: { ...screen.show, ticker: false, chat: false } });
    expect(path).toBe('/scene?lang=es&scene=bars&show=qr,shoutouts');
    expect(read(path)).toMatchObject({ lang: 'es', scene: 'bars', show: { qr: true, ticker: false, shoutouts: true, chat: false } });
  });

  it('names no parts when all are on', () => {
    const path = scenePath(defaultScreen('fight'));
    expect(path).toBe('/scene?lang=en&scene=fight');
    expect(read(path).show).toEqual({ qr: true, ticker: true, shoutouts: true, chat: true });
  });
});
