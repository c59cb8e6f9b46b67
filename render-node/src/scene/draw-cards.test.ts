/** The cards between the action: opaque enough to read over anything, and naming every option of a poll. */
import { createCanvas } from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { PHASE_MS, reduce, startRound } from '@stream-fighter/core';
import type { Matchup, RoundState } from '@stream-fighter/core';
import { fighter, matchup, showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { contrast } from '@stream-fighter/view/sprites/color';
import { drawCards } from './draw-cards.ts';
import { LAYOUT } from './layout.ts';
import { SceneModel } from './model.ts';

const W = 1280;
const H = 720;

/** Four options with names as long as the schema allows (32 characters). */
const LONG_NAMES = ['Wandering Ronin of the North Sea', 'Professor Thunderbolt McGillicud', 'Captain Kelp and the Tidal Crew', 'Grandmaster Flash of the Seventh'];
const longPoll = (): Matchup => matchup(LONG_NAMES.map((n) => fighter(n, 'wizard', '#5e3fbe')), { title: 'Who rules the seas?', stage: 'arcade' });

function upcoming(m: Matchup): RoundState {
  return startRound({ pollId: 'p-up', matchup: m, now: T0, audience: 100 });
}

function resultsOf(m: Matchup): RoundState {
  const live = liveRound(m, T0);
  const voted = castVotes(live, ['A', 'A', 'B'], T0 + 100);
  return reduce(voted, { type: 'tick' }, voted.endsAt + PHASE_MS.finish + 10).state;
}

function viewOf(round: RoundState, upNext: Matchup | null = null) {
  const model = new SceneModel();
  const at = round.phaseAt + 1_000;
  model.applySnapshot(snapshot(round, 1, at, { upNext }), at);
  return model.advanceTo(at + 500);
}

/** The card drawn over a solid background; every text it draws is recorded. */
function drawOver(background: string, round: RoundState, upNext: Matchup | null = null): { px: Uint8ClampedArray; texts: string[] } {
  const c = createCanvas(W, H);
  const ctx = c.getContext('2d');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, W, H);
  const texts: string[] = [];
  const fill = ctx.fillText.bind(ctx);
  ctx.fillText = ((text: string, x: number, y: number) => {
    texts.push(text);
    fill(text, x, y);
  }) as SKRSContext2D['fillText'];
  drawCards(ctx, viewOf(round, upNext), 'en');
  return { px: ctx.getImageData(0, 0, W, H).data, texts };
}

const hexAt = (px: Uint8ClampedArray, x: number, y: number) => {
  const i = (y * W + x) * 4;
  return `#${[px[i]!, px[i + 1]!, px[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
};

/**
 * Draws the card over white and over black: where the card covers, only its own transparency can make the two
 * differ. Returns the largest channel difference inside the boxes, and the card's lightest background over white.
 */
function seeThrough(round: RoundState, boxes: Array<{ x: number; y: number; w: number; h: number }>, upNext: Matchup | null = null) {
  const white = drawOver('#ffffff', round, upNext).px;
  const black = drawOver('#000000', round, upNext).px;
  let worst = 0;
  let worstBg = '#000000';
  for (const b of boxes)
    for (let y = b.y + 6; y < b.y + b.h - 6; y += 2)
      for (let x = b.x + 6; x < b.x + b.w - 6; x += 2) {
        const i = (y * W + x) * 4;
        const d = Math.max(Math.abs(white[i]! - black[i]!), Math.abs(white[i + 1]! - black[i + 1]!), Math.abs(white[i + 2]! - black[i + 2]!));
        if (d > worst) {
          worst = d;
          worstBg = hexAt(white, x, y);
        }
      }
  return { worst, worstBg };
}

describe('the cards', () => {
  const card = LAYOUT.card;

  it('hide what is under them: GET READY', () => {
    const { worst, worstBg } = seeThrough(upcoming(showcasePoll(4)), [{ x: card.x, y: card.y + 20, w: card.w, h: card.h - 40 }]);
    // 5 % of white through the card at most; the card's white words then read at better than 7:1 on it.
    expect(worst).toBeLessThanOrEqual(16);
    expect(contrast('#ffffff', worstBg)).toBeGreaterThan(7);
  });

  it('hide what is under them: the winner and up next', () => {
    const boxes = [
      { x: card.x, y: card.y + 40, w: card.w, h: card.h - 80 },
      { x: card.x, y: card.y + card.h - 24, w: card.w, h: 86 },
    ];
    const { worst, worstBg } = seeThrough(resultsOf(showcaseFight()), boxes, showcaseFight('space'));
    expect(worst).toBeLessThanOrEqual(16);
    expect(contrast('#ffffff', worstBg)).toBeGreaterThan(7);
  });

  it('name every option of a 3–4 option poll on GET READY', () => {
    for (const m of [showcasePoll(3), showcasePoll(4), longPoll()]) {
      const { texts } = drawOver('#202030', upcoming(m));
      const drawn = texts.join(' | ');
      for (const o of m.options) expect(drawn, `${o.fighter.name} on GET READY`).toContain(o.fighter.name);
    }
  });

  it('name every option of the next poll in "up next"', () => {
    for (const next of [showcasePoll(4), longPoll(), showcaseFight('space')]) {
      const { texts } = drawOver('#202030', resultsOf(showcaseFight()), next);
      const drawn = texts.join(' | ');
      for (const o of next.options) expect(drawn, `${o.fighter.name} in up next`).toContain(o.fighter.name);
    }
  });
});
