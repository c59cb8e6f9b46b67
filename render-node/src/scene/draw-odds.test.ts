/**
 * The odds strip on the stream: drawn while the room takes bets, in its own box and nowhere else (clear of the HP
 * bars, names, cards, the season pill, the QR panel and the shout-outs), with the right fighters' names, a countdown
 * that ticks with the room's clock less the stream delay, "BETS CLOSED" in red once that has passed though the room
 * still takes bets, and nothing once it stops.
 */
import { createCanvas } from '@napi-rs/canvas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHASE_MS, reduce, startRound } from '@stream-fighter/core';
import type { Matchup, RoundOdds, RoundState, Snapshot } from '@stream-fighter/core';
import { fightMatchup, showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, shout, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { tournamentOnAir } from './bracket-fixture.ts';
import { ODDS_COLORS, fairWidths } from './draw-odds.ts';
import { BASE_H, BASE_W, LAYOUT, toPixels, type Box } from './layout.ts';
import { SceneModel } from './model.ts';
import { countNear, hashRegion, type PixelFrame } from './probe.ts';
import { createRenderer } from './renderer.ts';
import { BRACKET_FROM, CARD_FADE_MS } from './transition.ts';

const W = 1280;
const renderers = {
  en: createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' }),
  es: createRenderer({ width: W, height: 720, lang: 'es', screen: 'fight', voteUrl: 'https://vote.example/' }),
};
const next = fightMatchup('Grizzle', 'Volt Vixen');

function resultsRound(): RoundState {
  const voted = castVotes(liveRound(showcaseFight(), T0), ['A', 'A', 'B'], T0 + 100);
  return reduce(voted, { type: 'tick' }, voted.endsAt + PHASE_MS.finish + 10).state;
}
const introRound = (m: Matchup = next): RoundState => startRound({ pollId: 'poll-2', matchup: m, now: T0, audience: 100 });

const odds = (pollId: string, closesAt: number, over: Partial<RoundOdds> = {}): RoundOdds => ({
  pollId,
  open: true,
  closesAt,
  total: 1_500,
  sides: [
    { option: 'A', pool: 1_500, bettors: 3, multiplier: 4 / 3 },
    { option: 'B', pool: 0, bettors: 0, multiplier: null },
  ],
  ...over,
});

/** The snapshot at room time `at` (everything the screen shows around the strip: season, shout-outs), drawn at `at`. */
function frameOf(round: RoundState, at: number, extra: Partial<Snapshot>, lang: 'en' | 'es' = 'en'): PixelFrame {
  const m = new SceneModel();
  m.applySnapshot(snapshot(round, 1, at, { season: tournamentOnAir(2), shoutouts: [shout('ana_g', 'Vamos Tornado!!', at - 1000)], ...extra }), at);
  // A copy: the renderer hands the frame's memory back at its next render.
  return { rgba: new Uint8Array(renderers[lang].render(m.advanceTo(at), at)).slice(), width: W };
}

const strip = toPixels(LAYOUT.odds, W);
/** Everything but the strip's box: above it, left of it, right of it, below it. */
const rest: Box[] = [
  { x: 0, y: 0, w: BASE_W, h: LAYOUT.odds.y },
  { x: 0, y: LAYOUT.odds.y, w: LAYOUT.odds.x, h: LAYOUT.odds.h },
  { x: LAYOUT.odds.x + LAYOUT.odds.w, y: LAYOUT.odds.y, w: BASE_W - LAYOUT.odds.x - LAYOUT.odds.w, h: LAYOUT.odds.h },
  { x: 0, y: LAYOUT.odds.y + LAYOUT.odds.h, w: BASE_W, h: BASE_H - LAYOUT.odds.y - LAYOUT.odds.h },
].map((b) => toPixels(b, W));
/** The countdown's row. */
const head = toPixels({ x: LAYOUT.odds.x + 6, y: LAYOUT.odds.y + 6, w: 230, h: 28 }, W);
const yellow = (f: PixelFrame, b: Box = head) => countNear(f, b, ODDS_COLORS.open, 40);
const red = (f: PixelFrame, b: Box = head) => countNear(f, b, ODDS_COLORS.closed, 40);

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * The texts painted into the strip's own canvas (the size of its box at 720p), not the frame's: the up-next card
 * names the next match too. The strip is painted once per change, so a test that reads its words draws a strip no
 * earlier test drew (its own total or countdown).
 */
let texts: string[] = [];
type Ctx = { canvas: { width: number; height: number }; fillText: (...a: unknown[]) => void };
const proto = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as Ctx;
const fillText = proto.fillText;
beforeEach(() => {
  texts = [];
  proto.fillText = function (this: Ctx, ...a: unknown[]) {
    if (this.canvas.width === LAYOUT.odds.w && this.canvas.height === LAYOUT.odds.h) texts.push(String(a[0]));
    return fillText.apply(this, a);
  };
});
afterEach(() => {
  proto.fillText = fillText;
});

describe('the odds strip on stream', () => {
  it('sits clear of the HP bars, names, timer, cards, bracket, season pill, QR panel, shout-outs and ticker', () => {
    const card = LAYOUT.card;
    // The up-next band with two rows of names (draw-cards.ts drawUpNext) is the lowest card.
    const upNext: Box = { x: card.x, y: card.y + card.h - 24, w: card.w, h: 112 };
    const others: Box[] = [...LAYOUT.hp, ...LAYOUT.names, LAYOUT.timer, card, LAYOUT.bracket, upNext, LAYOUT.season, LAYOUT.reconnecting, LAYOUT.qr, LAYOUT.shoutout, LAYOUT.ticker, LAYOUT.bars, LAYOUT.chatFeed];
    for (const b of others) expect(overlaps(LAYOUT.odds, b), JSON.stringify(b)).toBe(false);
    expect(LAYOUT.odds.y, 'below the fighters’ feet').toBeGreaterThanOrEqual(LAYOUT.groundY);
  });

  it('is drawn during the results with the next match, in its box only, over the winner and the bracket cards', () => {
    const round = resultsRound();
    for (const phaseMs of [1_000, PHASE_MS.results * BRACKET_FROM + CARD_FADE_MS + 500]) {
      const at = round.phaseAt + phaseMs;
      const extra = { upNext: next, odds: odds('poll-2', round.phaseAt + 12_000) };
      const none = frameOf(round, at, { upNext: next });
      texts = [];
      const shown = frameOf(round, at, extra);
      expect(hashRegion(shown, strip)).not.toBe(hashRegion(none, strip));
      for (const box of rest) expect(hashRegion(shown, box), `${phaseMs} ms ${JSON.stringify(box)}`).toBe(hashRegion(none, box));
      expect(yellow(shown) - yellow(none), 'the countdown in yellow').toBeGreaterThan(150);
      if (phaseMs === 1_000) {
        // Its words are the next match's, not the finished round's (Iron Knuckles and El Tornado).
        expect(texts).toEqual([`BETS CLOSE IN ${Math.ceil((12_000 - phaseMs) / 1000)}`, '1,500 points staked', 'Grizzle', '×1.33', 'Volt Vixen', '—']);
      }
    }
  });

  it("is drawn during the intro with the round's own fighters", () => {
    const round = introRound();
    const at = T0 + 1_500;
    const none = frameOf(round, at, { upNext: showcaseFight() });
    texts = [];
    const shown = frameOf(round, at, { upNext: showcaseFight(), odds: odds(round.pollId, round.liveAt, { total: 1_502 }) });
    expect(hashRegion(shown, strip)).not.toBe(hashRegion(none, strip));
    for (const box of rest) expect(hashRegion(shown, box), JSON.stringify(box)).toBe(hashRegion(none, box));
    // The round's own fighters, not the match after it (upNext: Iron Knuckles and El Tornado).
    expect(texts).toEqual(['BETS CLOSE IN 4', '1,502 points staked', 'Grizzle', '×1.33', 'Volt Vixen', '—']);
  });

  it('counts down each second to the close less the stream delay', () => {
    const round = introRound();
    const closesAt = round.liveAt;
    const at = (leftMs: number) => closesAt - leftMs;
    const plain = (leftMs: number) => frameOf(round, at(leftMs), { odds: odds(round.pollId, closesAt) });
    // Within one second the strip is the same picture; the next second is another.
    expect(hashRegion(plain(3_900), strip)).toBe(hashRegion(plain(3_100), strip));
    expect(hashRegion(plain(3_900), strip)).not.toBe(hashRegion(plain(2_900), strip));
    // With a 2 s delay, 4.5 s before the room closes the stream shows what it shows 2.5 s before it without one.
    const delayed = frameOf(round, at(4_500), { odds: odds(round.pollId, closesAt, { streamDelayMs: 2_000 }) });
    expect(hashRegion(delayed, strip)).toBe(hashRegion(plain(2_500), strip));
    expect(hashRegion(delayed, strip)).not.toBe(hashRegion(plain(4_500), strip));
  });

  it('says BETS CLOSED in red once the close less the delay has passed, while the room still takes bets', () => {
    const round = introRound();
    const closesAt = round.liveAt;
    const at = closesAt - 1_000;
    texts = [];
    const closed = frameOf(round, at, { odds: odds(round.pollId, closesAt, { streamDelayMs: 3_000, total: 1_501 }) });
    expect(texts[0]).toBe('BETS CLOSED');
    expect(red(closed), 'the red words').toBeGreaterThan(150);
    expect(yellow(closed)).toBeLessThan(20);
    const open = frameOf(round, at, { odds: odds(round.pollId, closesAt) });
    expect(red(open)).toBeLessThan(20);
    texts = [];
    frameOf(round, at, { odds: odds(round.pollId, closesAt, { streamDelayMs: 3_000, total: 1_501 }) }, 'es');
    expect(texts[0]).toBe('APUESTAS CERRADAS');
  });

  it('is not drawn once the room takes no bets, nor for a match it cannot name', () => {
    const round = resultsRound();
    const at = round.phaseAt + 1_000;
    const none = frameOf(round, at, { upNext: next });
    const closed = frameOf(round, at, { upNext: next, odds: odds('poll-2', at + 5_000, { open: false }) });
    expect(hashRegion(closed, strip)).toBe(hashRegion(none, strip));
    const unnamed = frameOf(round, at, { upNext: null, odds: odds('poll-2', at + 5_000) });
    expect(hashRegion(unnamed, strip)).toBe(hashRegion(frameOf(round, at, { upNext: null }), strip));
  });

  it('keeps the longest names and numbers inside its box, in both languages, and a poll of four sides too', () => {
    const long = fightMatchup('Wandering Ronin of the North Sea', 'Professor Thunderbolt McGillicud');
    const round = introRound(long);
    const at = T0 + 1_500;
    const big = odds(round.pollId, round.liveAt + 60_000, {
      total: 987_654_321,
      sides: [
        { option: 'A', pool: 987_654_320, bettors: 999, multiplier: 1.0000000010125 },
        { option: 'B', pool: 1, bettors: 1, multiplier: 987_654_321 },
      ],
    });
    for (const lang of ['en', 'es'] as const) {
      const none = frameOf(round, at, {}, lang);
      const shown = frameOf(round, at, { odds: big }, lang);
      for (const box of rest) expect(hashRegion(shown, box), `${lang} ${JSON.stringify(box)}`).toBe(hashRegion(none, box));
    }
    const poll = introRound(showcasePoll(4));
    const four = odds(poll.pollId, poll.liveAt, { sides: (['A', 'B', 'C', 'D'] as const).map((option) => ({ option, pool: 1_000, bettors: 1, multiplier: 4 })), total: 4_000 });
    const none = frameOf(poll, at, {});
    const shown = frameOf(poll, at, { odds: four });
    expect(hashRegion(shown, strip)).not.toBe(hashRegion(none, strip));
    for (const box of rest) expect(hashRegion(shown, box), `poll ${JSON.stringify(box)}`).toBe(hashRegion(none, box));
  });

  it('cuts a long name only as far as the other sides need', () => {
    expect(fairWidths([100, 120], 300)).toEqual([100, 120]);
    expect(fairWidths([300, 80], 300)).toEqual([220, 80]);
    expect(fairWidths([300, 400], 300)).toEqual([150, 150]);
    expect(fairWidths([50, 300, 300, 60], 300)).toEqual([50, 95, 95, 60]);
  });
});
