import { describe, expect, it } from 'vitest';
import { applyScreenUpdate, defaultScreen, DEFAULT_SCREENS, Screen, ScreenCreate, ScreenId, ScreenUpdate } from './screen.ts';
import { StreamStartRequest } from './protocol.ts';

describe('screens', () => {
  it('ids are lower-case slugs of at most 32 characters', () => {
    for (const ok of ['fight', 'bars', 'test', 'a', 'lobby-2', 'x'.repeat(32)]) expect(ScreenId.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', '-a', 'Fight', 'a b', 'a/b', 'x'.repeat(33), '../x', 'é']) expect(ScreenId.safeParse(bad).success, bad).toBe(false);
  });

  it('fight and bars exist by default, each showing its own scene, in English at 720p with everything shown', () => {
    expect(DEFAULT_SCREENS.map((s) => [s.id, s.scene])).toEqual([['fight', 'fight'], ['bars', 'bars']]);
    for (const s of DEFAULT_SCREENS) expect(Screen.parse(s)).toEqual({ ...s, lang: 'en', resolution: '720p', show: { qr: true, ticker: true, shoutouts: true, chat: true } });
    expect(defaultScreen('test').scene).toBe('fight');
  });

  it("the seed's stream body parses as written", () => {
    expect(StreamStartRequest.parse({ screenId: 'test', streamKey: 'my-stream-key' })).toEqual({ screenId: 'test', streamKey: 'my-stream-key' });
    expect(StreamStartRequest.parse({ streamKey: 'k' }).screenId).toBe('fight');
  });

  it('an update replaces what it names and merges show part by part', () => {
    const bars = defaultScreen('bars');
    expect(applyScreenUpdate(bars, {})).toEqual(bars);
    expect(applyScreenUpdate(bars, ScreenUpdate.parse({ lang: 'es', show: { qr: false } }))).toEqual({ ...bars, lang: 'es', show: { ...bars.show, qr: false } });
  });

  it('bodies are strict: unknown fields, unknown parts and wrong types are refused', () => {
    for (const bad of [{ id: 'x', colour: 'red' }, { id: 'x', show: { clock: false } }, { id: 'x', show: { qr: 'no' } }, { id: 'x', scene: 'movie' }, { id: 'x', lang: 'fr' }, { id: 'x', resolution: '4k' }, {}]) {
      expect(ScreenCreate.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ScreenUpdate.safeParse({ id: 'x' }).success).toBe(false);
  });
});
