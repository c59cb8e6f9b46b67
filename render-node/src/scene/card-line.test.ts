/**
 * The fighter card line beside each name on the stream: drawn from the snapshot's `fighters` (tier and record, NEW
 * on a debut, the flame from three wins in a row), only in the name rows, and painted once then blitted.
 */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { FighterCard, Snapshot } from '@stream-fighter/core';
import { fightMatchup, showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { cardLine, FLAME } from '@stream-fighter/view/fighter-card';
import { CARD_COLORS, cardSprite } from './card-line.ts';
import { BASE_H, LAYOUT, toPixels, type Box } from './layout.ts';
import { SceneModel } from './model.ts';
import { countNear, hashRegion } from './probe.ts';
import type { PixelFrame } from './probe.ts';
import { createRenderer } from './renderer.ts';

const W = 1280;
const renderer = createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' });
const T = T0 + 2000;

const ranked = (c: Partial<FighterCard> = {}): FighterCard => ({ tier: 'S', wins: 14, losses: 3, ties: 0, streak: 0, debut: false, ...c });
const DEBUT: FighterCard = { tier: 'N', wins: 0, losses: 0, ties: 0, streak: 0, debut: true };

function frameOf(fighters: Snapshot['fighters'], matchup = showcaseFight()): PixelFrame {
  const m = new SceneModel();
  m.applySnapshot(snapshot(liveRound(matchup, T0), 1, T0, fighters ? { fighters } : {}), T0);
  // A copy: the renderer hands the frame's memory back at its next render.
  return { rgba: new Uint8Array(renderer.render(m.advanceTo(T), T)).slice(), width: W };
}

const names = [toPixels(LAYOUT.names[0], W), toPixels(LAYOUT.names[1], W)] as const;
/** What the HUD holds besides the name rows: above them, between them, below them. */
const rest: Box[] = [
  { x: 0, y: 0, w: W, h: LAYOUT.names[0].y },
  { x: LAYOUT.names[0].x + LAYOUT.names[0].w, y: LAYOUT.names[0].y, w: LAYOUT.names[1].x - LAYOUT.names[0].x - LAYOUT.names[0].w, h: LAYOUT.names[0].h },
  { x: 0, y: LAYOUT.names[0].y + LAYOUT.names[0].h, w: W, h: BASE_H - LAYOUT.names[0].y - LAYOUT.names[0].h },
].map((b) => toPixels(b, W));

describe('the card line beside each name', () => {
  it('is drawn in both name rows once the snapshot has cards, and changes nothing else', () => {
    const none = frameOf(undefined);
    const withCards = frameOf({ A: ranked(), B: ranked({ tier: 'C', wins: 2, losses: 9 }) });
    for (const box of names) expect(hashRegion(withCards, box)).not.toBe(hashRegion(none, box));
    for (const box of rest) expect(hashRegion(withCards, box), JSON.stringify(box)).toBe(hashRegion(none, box));
    // The pill's yellow edge: there with a card, not without.
    const edge = (f: PixelFrame, box: Box) => countNear(f, box, CARD_COLORS.edge, 20);
    for (const box of names) expect(edge(withCards, box) - edge(none, box)).toBeGreaterThan(100);
  });

  it('lights the flame for a streak of three wins or more, and only then', () => {
    const flame = (streak: number) => countNear(frameOf({ A: ranked({ streak }), B: DEBUT }), names[0], FLAME.colors.outer, 40);
    const cold = flame(0);
    expect(Math.abs(flame(2) - cold), 'two wins in a row: no flame').toBeLessThan(10);
    expect(flame(5) - cold, 'five wins in a row: the flame').toBeGreaterThan(60);
  });

  it('shows a debut as a green NEW pill', () => {
    const green = (f: PixelFrame) => countNear(f, names[1], CARD_COLORS.debutPill, 30);
    expect(green(frameOf({ A: ranked(), B: DEBUT })) - green(frameOf({ A: ranked(), B: ranked() }))).toBeGreaterThan(500);
  });

  it('keeps a long name and its card inside the row: the name gives way', () => {
    const long = fightMatchup('Maximiliano Bartholomew The Unbreakable Fourth', 'Ultra Long Name Number Two Of Many Words');
    const none = frameOf(undefined, long);
    const cards = frameOf({ A: DEBUT, B: DEBUT }, long);
    for (const box of rest) expect(hashRegion(cards, box), JSON.stringify(box)).toBe(hashRegion(none, box));
    for (const box of names) expect(countNear(cards, box, CARD_COLORS.debutPill, 30) - countNear(none, box, CARD_COLORS.debutPill, 30)).toBeGreaterThan(500);
  });

  it('is painted once and blitted on every later frame', () => {
    const ctx = createCanvas(W, 720).getContext('2d');
    const line = cardLine(ranked({ streak: 4 }), 'en');
    const first = cardSprite(ctx, line);
    expect(cardSprite(ctx, line)).toBe(first);
    expect(cardSprite(ctx, cardLine(ranked({ streak: 4 }), 'en')), 'an equal line from the next snapshot').toBe(first);
    expect(first.w).toBeGreaterThan(60);
    expect(first.w).toBeLessThan(200);
  });
});
