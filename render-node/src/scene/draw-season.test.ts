/**
 * The season's line on the stream: drawn from the snapshot's `season` in the top row's right corner (the words of
 * view/season-line.ts), nowhere else, inside its corner whatever the language and the numbers, under the
 * reconnecting badge while the room is away, and painted once then blitted.
 */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { SeasonOnAir } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { seasonLine } from '@stream-fighter/view/season-line';
import { tournamentOnAir } from './bracket-fixture.ts';
import { SEASON_COLORS, seasonSprite } from './draw-season.ts';
import { BASE_H, LAYOUT, toPixels, type Box } from './layout.ts';
import { SceneModel } from './model.ts';
import { countNear, hashRegion, type PixelFrame } from './probe.ts';
import { createRenderer } from './renderer.ts';

const W = 1280;
const T = T0 + 2000;
const renderers = { en: createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' }), es: createRenderer({ width: W, height: 720, lang: 'es', screen: 'fight', voteUrl: 'https://vote.example/' }) };

function frameOf(season: SeasonOnAir | undefined, o: { lang?: 'en' | 'es'; reconnecting?: boolean } = {}): PixelFrame {
  const m = new SceneModel();
  m.applySnapshot(snapshot(liveRound(showcaseFight(), T0), 1, T0, season ? { season } : {}), T0);
  if (o.reconnecting) m.setConnection('reconnecting');
  // A copy: the renderer hands the frame's memory back at its next render.
  return { rgba: new Uint8Array(renderers[o.lang ?? 'en'].render(m.advanceTo(T), T)).slice(), width: W };
}

const corner = toPixels(LAYOUT.season, W);
/** Everything but the corner: above it, left of it, below it. */
const rest: Box[] = [
  { x: 0, y: 0, w: W, h: LAYOUT.season.y },
  { x: 0, y: LAYOUT.season.y, w: LAYOUT.season.x, h: LAYOUT.season.h },
  { x: 0, y: LAYOUT.season.y + LAYOUT.season.h, w: W, h: BASE_H - LAYOUT.season.y - LAYOUT.season.h },
].map((b) => toPixels(b, W));
const edge = (f: PixelFrame) => countNear(f, corner, SEASON_COLORS.edge, 30);

const matchmaking = (untilTournament: number, total = 20): SeasonOnAir => ({ position: { stage: 'matchmaking', played: total - untilTournament, total, untilTournament }, bracket: null });

describe("the season's line on the stream", () => {
  it('is drawn in its corner once the snapshot has a season, and changes nothing else', () => {
    const none = frameOf(undefined);
    const line = frameOf(tournamentOnAir(1));
    expect(hashRegion(line, corner)).not.toBe(hashRegion(none, corner));
    for (const box of rest) expect(hashRegion(line, box), JSON.stringify(box)).toBe(hashRegion(none, box));
    expect(edge(line) - edge(none), "the pill's edge").toBeGreaterThan(150);
  });

  it('changes with the position: each stage its own line', () => {
    const frames = [matchmaking(7), matchmaking(1), { position: { stage: 'seeding', season: 4 }, bracket: null } as SeasonOnAir, tournamentOnAir(1), tournamentOnAir(6), { position: { stage: 'exhibition', played: 1, total: 5, remaining: 4 }, bracket: null } as SeasonOnAir].map((s) => hashRegion(frameOf(s), corner));
    expect(new Set(frames).size).toBe(frames.length);
  });

  it('keeps the longest line inside its corner, in both languages', () => {
    const longest: SeasonOnAir = { position: { stage: 'tournament', season: 1_000_000, round: 'quarter-final', match: 4, of: 4, overall: 4 }, bracket: null };
    for (const lang of ['en', 'es'] as const) {
      const none = frameOf(undefined, { lang });
      const line = frameOf(longest, { lang });
      for (const box of rest) expect(hashRegion(line, box), `${lang} ${JSON.stringify(box)}`).toBe(hashRegion(none, box));
      const sprite = seasonSprite(createCanvas(W, 720).getContext('2d'), seasonLine(longest.position, lang));
      expect(sprite.w).toBeLessThanOrEqual(LAYOUT.season.w);
    }
  });

  it('goes under the reconnecting badge while the room is away', () => {
    const away = frameOf(tournamentOnAir(1), { reconnecting: true });
    const awayWithout = frameOf(undefined, { reconnecting: true });
    expect(edge(away) - edge(awayWithout)).toBeLessThan(20);
  });

  it('is painted once and blitted on every later frame', () => {
    const ctx = createCanvas(W, 720).getContext('2d');
    const text = seasonLine(tournamentOnAir(2).position, 'en');
    const first = seasonSprite(ctx, text);
    expect(seasonSprite(ctx, seasonLine(tournamentOnAir(2).position, 'en')), 'the same line from the next snapshot').toBe(first);
    expect(first.w).toBeGreaterThan(150);
  });
});
