/**
 * The bracket card between tournament rounds: in the results phase, after the winner's card, while the season has a
 * bracket; the eight seeds in their quarter-finals, who went through in gold, the next match outlined in red, the
 * champion after the final; opaque like every card; painted once and blitted.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHASE_MS, reduce, startRound } from '@stream-fighter/core';
import type { RoundState, SeasonOnAir } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { contrast } from '@stream-fighter/view/sprites/color';
import { BRACKET_NAMES, tournamentOnAir } from './bracket-fixture.ts';
import { BRACKET_COLORS, BRACKET_GRID, bracketSprite, championBox, matchBox } from './draw-bracket.ts';
import { drawCards } from './draw-cards.ts';
import { LAYOUT, type Box } from './layout.ts';
import { SceneModel } from './model.ts';
import { countNear, hashRegion, type PixelFrame } from './probe.ts';
import { BRACKET_FROM, CARD_FADE_MS } from './transition.ts';

const W = 1280;
const H = 720;

function resultsRound(): RoundState {
  const live = liveRound(showcaseFight(), T0);
  const voted = castVotes(live, ['A', 'A', 'B'], T0 + 100);
  return reduce(voted, { type: 'tick' }, voted.endsAt + PHASE_MS.finish + 10).state;
}

/** Well into the bracket's part of the results, and well into the winner's. */
const BRACKET_MS = PHASE_MS.results * BRACKET_FROM + CARD_FADE_MS + 500;
const WINNER_MS = 1_000;

function viewOf(round: RoundState, season: SeasonOnAir | undefined, phaseMs: number) {
  const model = new SceneModel();
  const at = round.phaseAt + phaseMs;
  model.applySnapshot(snapshot(round, 1, at, season ? { season } : {}), at);
  return model.advanceTo(at);
}

/** The cards alone over a solid background (draw-cards.test.ts does the same), as a pixel frame. */
function cardsOver(season: SeasonOnAir | undefined, o: { phaseMs?: number; background?: string; round?: RoundState; lang?: 'en' | 'es' } = {}): PixelFrame {
  const ctx = createCanvas(W, H).getContext('2d');
  ctx.fillStyle = o.background ?? '#202030';
  ctx.fillRect(0, 0, W, H);
  drawCards(ctx, viewOf(o.round ?? resultsRound(), season, o.phaseMs ?? BRACKET_MS), o.lang ?? 'en');
  return { rgba: new Uint8Array(ctx.getImageData(0, 0, W, H).data.buffer), width: W };
}

/** A box of the card (draw-bracket.ts, relative to the card) in frame pixels. */
const onCard = (b: Box): Box => ({ x: LAYOUT.bracket.x + b.x, y: LAYOUT.bracket.y + b.y, w: b.w, h: b.h });
/** One slot of a match: 0 its upper side (a), 1 its lower (b). */
const slotBox = (match: number, slot: 0 | 1): Box => {
  const m = onCard(matchBox(match));
  return { x: m.x, y: m.y + slot * (BRACKET_GRID.slotH + BRACKET_GRID.slotGap), w: m.w, h: BRACKET_GRID.slotH };
};
const cardBox = LAYOUT.bracket;
const gold = (f: PixelFrame, b: Box) => countNear(f, b, BRACKET_COLORS.won, 40);
const red = (f: PixelFrame, b: Box) => countNear(f, b, BRACKET_COLORS.current, 40);
const white = (f: PixelFrame, b: Box) => countNear(f, b, '#ffffff', 60);

/** Every text drawn anywhere (the card's own canvas too) while `fn` runs. */
let texts: string[] = [];
let restore: (() => void) | null = null;
beforeEach(() => {
  texts = [];
  const proto = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as SKRSContext2D;
  const fill = proto.fillText;
  proto.fillText = function (this: SKRSContext2D, text: string, x: number, y: number, maxWidth?: number) {
    texts.push(text);
    return maxWidth === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, maxWidth);
  } as SKRSContext2D['fillText'];
  restore = () => {
    proto.fillText = fill;
  };
});
afterEach(() => restore?.());

describe('the bracket card', () => {
  it("follows the winner's card in the results phase, and only while the season has a bracket", () => {
    const bracket = tournamentOnAir(1, { season: 11 });
    const noBracket: SeasonOnAir = { position: { stage: 'matchmaking', played: 3, total: 20, untilTournament: 17 }, bracket: null };
    // The winner first: the same card as without a season.
    expect(hashRegion(cardsOver(bracket, { phaseMs: WINNER_MS }), LAYOUT.card)).toBe(hashRegion(cardsOver(undefined, { phaseMs: WINNER_MS }), LAYOUT.card));
    // Then the bracket in its place; no bracket, no card: the winner's stays.
    const later = cardsOver(bracket);
    expect(hashRegion(later, cardBox)).not.toBe(hashRegion(cardsOver(undefined), cardBox));
    expect(hashRegion(cardsOver(noBracket), cardBox)).toBe(hashRegion(cardsOver(undefined), cardBox));
    expect(texts).toContain('SEASON 11 TOURNAMENT');
  });

  it('is not drawn in the other phases', () => {
    const bracket = tournamentOnAir(2, { season: 12 });
    const upcoming = startRound({ pollId: 'p-up', matchup: showcaseFight(), now: T0, audience: 100 });
    const live = reduce(upcoming, { type: 'tick' }, upcoming.liveAt).state;
    const finished = reduce(castVotes(live, ['A'], live.liveAt + 10), { type: 'rotate' }, live.liveAt + 20).state;
    const frame = { x: 0, y: 0, w: W, h: H };
    for (const round of [upcoming, live, finished]) {
      for (const ms of [300, 2_000]) {
        expect(hashRegion(cardsOver(bracket, { round, phaseMs: ms }), frame), `${round.phase} at ${ms} ms`).toBe(hashRegion(cardsOver(undefined, { round, phaseMs: ms }), frame));
      }
    }
  });

  it('names the eight seeds in their quarter-finals before a match is played', () => {
    cardsOver(tournamentOnAir(0, { season: 13 }));
    const drawn = texts.join(' | ');
    for (const name of BRACKET_NAMES) expect(drawn, name).toContain(name.slice(0, 8));
    // Names in all eight quarter-final slots, none yet further on.
    const f = cardsOver(tournamentOnAir(0, { season: 14 }));
    for (let m = 0; m < 4; m++) for (const s of [0, 1] as const) expect(white(f, slotBox(m, s)), `QF${m + 1} slot ${s}`).toBeGreaterThan(60);
    for (let m = 4; m < 7; m++) for (const s of [0, 1] as const) expect(white(f, slotBox(m, s)), `match ${m + 1} slot ${s}`).toBeLessThan(5);
  });

  it('marks who went through in gold and carries them on to the next round', () => {
    // QF1 played: seed 1 beat seed 8; QF2 played, an upset: seed 5 beat seed 4.
    const before = cardsOver(tournamentOnAir(0, { season: 15 }));
    const after = cardsOver(tournamentOnAir(2, { season: 15, upsets: [1] }));
    expect(gold(after, slotBox(0, 0)) - gold(before, slotBox(0, 0)), 'seed 1 through').toBeGreaterThan(150);
    expect(gold(after, slotBox(0, 1)) - gold(before, slotBox(0, 1)), 'seed 8 out').toBeLessThan(20);
    expect(gold(after, slotBox(1, 1)) - gold(before, slotBox(1, 1)), 'seed 5 through').toBeGreaterThan(150);
    expect(gold(after, slotBox(1, 0)) - gold(before, slotBox(1, 0)), 'seed 4 out').toBeLessThan(20);
    // The winners fill the first semi-final's slots.
    for (const s of [0, 1] as const) expect(white(after, slotBox(4, s)), `SF1 slot ${s}`).toBeGreaterThan(60);
    expect(white(after, slotBox(5, 0))).toBeLessThan(5);
  });

  it('outlines the match to be played next in red, and none once the tournament is over', () => {
    for (const played of [0, 3, 4, 6]) {
      const f = cardsOver(tournamentOnAir(played, { season: 16 + played }));
      for (let m = 0; m < 7; m++) {
        const n = red(f, onCard(matchBox(m, 5)));
        if (m === played) expect(n, `match ${m + 1} is next after ${played}`).toBeGreaterThan(200);
        else expect(n, `match ${m + 1} is not next after ${played}`).toBeLessThan(10);
      }
    }
    expect(red(cardsOver(tournamentOnAir(7, { season: 30 })), cardBox)).toBeLessThan(10);
  });

  it('crowns the champion after the final, not before', () => {
    const box = onCard(championBox());
    const beforeFinal = cardsOver(tournamentOnAir(6, { season: 31 }));
    const done = cardsOver(tournamentOnAir(7, { season: 31, upsets: [6] }));
    expect(gold(done, box) - gold(beforeFinal, box)).toBeGreaterThan(300);
    // Seed 2 beat seed 1 in the final: the champion's name is theirs, and the card says so in Spanish too.
    expect(texts).toContain(BRACKET_NAMES[1]);
    expect(texts).toContain('CHAMPION');
    cardsOver(tournamentOnAir(7, { season: 32 }), { lang: 'es' });
    expect(texts).toContain('CAMPEÓN');
    expect(texts).toContain('TORNEO DE LA TEMPORADA 32');
  });

  it('hides what is under it, as every card does', () => {
    const season = tournamentOnAir(3, { season: 40 });
    const over = (bg: string) => cardsOver(season, { background: bg }).rgba;
    const w = over('#ffffff');
    const b = over('#000000');
    let worst = 0;
    const inner = { x: cardBox.x + 8, y: cardBox.y + 8, w: cardBox.w - 16, h: cardBox.h - 16 };
    for (let y = inner.y; y < inner.y + inner.h; y += 2)
      for (let x = inner.x; x < inner.x + inner.w; x += 2) {
        const i = (y * W + x) * 4;
        worst = Math.max(worst, Math.abs(w[i]! - b[i]!), Math.abs(w[i + 1]! - b[i + 1]!), Math.abs(w[i + 2]! - b[i + 2]!));
      }
    expect(worst).toBeLessThanOrEqual(16);
    // The band's colour over white still makes white words read at better than 7:1.
    const i = ((cardBox.y + 30) * W + cardBox.x + 30) * 4;
    const bg = `#${[w[i]!, w[i + 1]!, w[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    expect(contrast('#ffffff', bg)).toBeGreaterThan(7);
  });

  it('is painted once and blitted on every later frame', () => {
    const ctx = createCanvas(W, H).getContext('2d');
    const a = tournamentOnAir(2, { season: 50 });
    const first = bracketSprite(ctx, a.bracket!, 2, 'en');
    texts = [];
    expect(bracketSprite(ctx, a.bracket!, 2, 'en')).toBe(first);
    expect(bracketSprite(ctx, tournamentOnAir(2, { season: 50 }).bracket!, 2, 'en'), 'an equal bracket from the next snapshot').toBe(first);
    expect(texts, 'nothing painted again').toEqual([]);
    expect(bracketSprite(ctx, tournamentOnAir(3, { season: 50 }).bracket!, 3, 'en')).not.toBe(first);
  });
});
