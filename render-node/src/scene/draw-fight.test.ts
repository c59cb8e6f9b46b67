/**
 * The fight's motion, probed in real rendered frames (1280×720): where each fighter's colour sits, whether the
 * stage moved, what shows where. Every frame is a pure function of the snapshots and the frame time t.
 */
import { describe, expect, it } from 'vitest';
import { attackKindFor, phaseLengths, startRound } from '@stream-fighter/core';
import type { OptionId, RoundState } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { LAYOUT, toPixels } from './layout.ts';
import type { Box } from './layout.ts';
import { SceneModel } from './model.ts';
import { SLOWMO } from './motion.ts';
import { countNear, hashRegion } from './probe.ts';
import type { PixelFrame } from './probe.ts';
import { createRenderer } from './renderer.ts';
import { rgb } from '@stream-fighter/view/sprites/color';

const W = 1280;
const renderer = createRenderer({ width: W, height: 720, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' });
const frame = (m: SceneModel, t: number): PixelFrame => ({ rgba: new Uint8Array(renderer.render(m.advanceTo(t), t)), width: W });
const [COLOR_A, COLOR_B] = showcaseFight().options.map((o) => o.fighter.color) as [string, string];
/** The stage between the HUD and the ticker, left of the QR panel. */
const STAGE: Box = { x: 0, y: 180, w: 1085, h: 400 };
/** A patch of background far from the fighters, the cards and the combo counter. */
const SKY: Box = { x: 20, y: 300, w: 160, h: 120 };

/** Mean x of the pixels near a colour in the box, and how many there are. */
function centroid(f: PixelFrame, b: Box, color: string, tol = 12): { x: number; n: number } {
  const [r, g, bl] = rgb(color);
  let sum = 0;
  let n = 0;
  for (let y = b.y; y < b.y + b.h; y++) {
    for (let x = b.x; x < b.x + b.w; x++) {
      const i = (y * f.width + x) * 4;
      if (Math.abs(f.rgba[i]! - r) + Math.abs(f.rgba[i + 1]! - g) + Math.abs(f.rgba[i + 2]! - bl) <= tol) {
        sum += x;
        n++;
      }
    }
  }
  return { x: n ? sum / n : NaN, n };
}

/** The topmost row holding the colour: high for a fighter on its feet or in the air, low for one lying down. */
function topY(f: PixelFrame, b: Box, color: string, tol = 12): number {
  const [r, g, bl] = rgb(color);
  for (let y = b.y; y < b.y + b.h; y++) {
    for (let x = b.x; x < b.x + b.w; x++) {
      const i = (y * f.width + x) * 4;
      if (Math.abs(f.rgba[i]! - r) + Math.abs(f.rgba[i + 1]! - g) + Math.abs(f.rgba[i + 2]! - bl) <= tol) return y;
    }
  }
  return Infinity;
}

/** The strongest red in the box (red minus the larger other channel): how opaque a red card is drawn. */
function maxRed(f: PixelFrame, b: Box): number {
  let best = 0;
  for (let y = b.y; y < b.y + b.h; y++) {
    for (let x = b.x; x < b.x + b.w; x++) {
      const i = (y * f.width + x) * 4;
      best = Math.max(best, f.rgba[i]! - Math.max(f.rgba[i + 1]!, f.rgba[i + 2]!));
    }
  }
  return best;
}

function live() {
  const m = new SceneModel();
  const round = liveRound(showcaseFight(), T0);
  m.applySnapshot(snapshot(round, 1, T0), T0);
  return { m, round };
}

/** Votes one at a time until the round's next hit is of the kind wanted; the votes before it go to `filler`. */
function votesUntil(round: RoundState, kind: 'special' | 'punch', voter: OptionId, now: number): RoundState {
  let r = round;
  while (attackKindFor(r.pollId, r.hitCount + 1) !== kind) r = castVotes(r, [voter === 'A' ? 'B' : 'A'], now);
  return castVotes(r, [voter], now);
}

describe('fight motion', () => {
  it('walks the fighters in from off the stage and brings them close once live', () => {
    const m = new SceneModel();
    const up = startRound({ pollId: 'p-walk', matchup: showcaseFight(), now: T0, audience: 200 });
    m.applySnapshot(snapshot(up, 1, T0), T0);
    // At the very start of the intro both are off the stage (the GET READY card is still fading in).
    const start = frame(m, T0);
    expect(centroid(start, STAGE, COLOR_A).n).toBeLessThan(30);
    expect(centroid(start, STAGE, COLOR_B).n).toBeLessThan(30);
    const walking = centroid(frame(m, T0 + 1100), STAGE, COLOR_A);
    expect(walking.n).toBeGreaterThan(300);
    expect(walking.x).toBeLessThan(LAYOUT.fighterX[0] - 150);
    // Live, well after the walk: closer to each other than their home spots.
    const { m: lm } = live();
    const f = frame(lm, T0 + 20_000);
    const a = centroid(f, STAGE, COLOR_A);
    const b = centroid(f, STAGE, COLOR_B);
    expect(b.x - a.x).toBeLessThan(LAYOUT.fighterX[1] - LAYOUT.fighterX[0] - 60);
  });

  it('knocks the one hit back', () => {
    const hitAt = T0 + 20_000;
    const { m: calm } = live();
    const { m, round } = live();
    const hit = votesUntil(round, 'punch', 'A', hitAt);
    // The same scene without the hit, at the same time: only the hit differs.
    const filler = castVotes(round, Array(hit.hitCount - 1).fill('B'), hitAt);
    calm.applySnapshot(snapshot(filler, 2, hitAt), hitAt);
    m.applySnapshot(snapshot(hit, 2, hitAt), hitAt);
    calm.advanceTo(hitAt);
    m.advanceTo(hitAt);
    const t = hitAt + 280;
    const pushed = centroid(frame(m, t), STAGE, COLOR_B).x;
    const still = centroid(frame(calm, t), STAGE, COLOR_B).x;
    // B stands on the right: knocked back is further right.
    expect(pushed - still).toBeGreaterThan(25);
  });

  it('shakes the stage right after a special, and not a second later', () => {
    const hitAt = T0 + 20_000;
    const { m: calm } = live();
    const { m, round } = live();
    const special = votesUntil(round, 'special', 'A', hitAt);
    m.applySnapshot(snapshot(special, 2, hitAt), hitAt);
    m.advanceTo(hitAt);
    const sky = (mm: SceneModel, t: number) => hashRegion(frame(mm, t), toPixels(SKY, W));
    const shaken = [30, 70, 110].map((ms) => sky(m, hitAt + ms));
    const still = [30, 70, 110].map((ms) => sky(calm, hitAt + ms));
    expect(shaken.some((h, i) => h !== still[i])).toBe(true);
    expect(sky(m, hitAt + 1000)).toBe(sky(calm, hitAt + 1000));
  });

  it('throws sparks off a special', () => {
    const hitAt = T0 + 20_000;
    const { m: calm } = live();
    const { m, round } = live();
    m.applySnapshot(snapshot(votesUntil(round, 'special', 'A', hitAt), 2, hitAt), hitAt);
    m.advanceTo(hitAt);
    // Behind B (away from A): the pale blue sparks fly there. Counted against the same frame without the hit, so
    // whatever else is pale blue there (a rim light) does not count.
    const behind = toPixels({ x: 760, y: 300, w: 320, h: 260 }, W);
    const pale = (mm: SceneModel, t: number) => countNear(frame(mm, t), behind, '#bdfcff', 40);
    expect(pale(m, hitAt + 150) - pale(calm, hitAt + 150)).toBeGreaterThan(40);
    expect(pale(m, hitAt + 1500)).toBe(pale(calm, hitAt + 1500));
  });

  it('shows a combo counter for three hits in a row by one fighter', () => {
    const { m, round } = live();
    const box = toPixels({ x: 10, y: 168, w: 400, h: 46 }, W);
    const orange = '#ff9f1c';
    let r = round;
    let t = T0 + 20_000;
    const counts: number[] = [];
    for (let i = 0; i < 3; i++, t += 300) {
      r = castVotes(r, ['A'], t);
      m.applySnapshot(snapshot(r, 2 + i, t), t);
      counts.push(countNear(frame(m, t + 200), box, orange, 20));
    }
    expect(counts[0]).toBeLessThan(20);
    expect(counts[1]).toBeLessThan(20);
    expect(counts[2]).toBeGreaterThan(200);
  });

  it('is never still without votes: fighter frames 1 s apart differ', () => {
    const { m } = live();
    const stage = toPixels(STAGE, W);
    for (let t = T0 + 10_000; t < T0 + 26_000; t += 1300) {
      expect(hashRegion(frame(m, t + 1000), stage), `t0 + ${t - T0}`).not.toBe(hashRegion(frame(m, t), stage));
    }
  });

  it('plays a KO as a fall in slow motion, then a victory pose', () => {
    const { m, round } = live();
    const koAt = T0 + 20_000;
    let r = round;
    for (let i = 0; i < 50 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('B'), koAt - 50 + i);
    expect(r.outcome).toEqual({ reason: 'ko', winner: 'B' });
    m.applySnapshot(snapshot(r, 2, koAt), koAt);
    m.advanceTo(koAt);
    const left = toPixels({ x: 0, y: 180, w: 640, h: 400 }, W);
    // 600 ms in, slowed to a third: still in the air, not yet down (at full speed it would be lying flat).
    const midFall = topY(frame(m, koAt + 600), left, COLOR_A);
    const down = topY(frame(m, koAt + SLOWMO.ms + 1500), left, COLOR_A);
    expect(midFall).toBeLessThan(down - 60);
    // The winner holds still for the beat, then celebrates: its pose changes.
    const right = toPixels({ x: 640, y: 180, w: 445, h: 400 }, W);
    const beat = hashRegion(frame(m, koAt + SLOWMO.ms + 200), right);
    const cheer = hashRegion(frame(m, koAt + SLOWMO.ms + 1000), right);
    expect(cheer).not.toBe(beat);
    expect(hashRegion(frame(m, koAt + SLOWMO.ms + 300), right)).toBe(beat);
  });

  it('draws the same frames for the same snapshots and frame times (the motion is a function of t)', () => {
    const run = () => {
      const m = new SceneModel();
      let r = liveRound(showcaseFight(), T0);
      m.applySnapshot(snapshot(r, 1, T0), T0);
      const hashes: string[] = [];
      for (let i = 1; i <= 40; i++) {
        const t = T0 + 20_000 + i * 100;
        r = castVotes(r, i % 4 === 0 ? ['B'] : Array(i > 30 ? 60 : 2).fill('A'), t);
        m.applySnapshot(snapshot(r, 1 + i, t), t);
        hashes.push(hashRegion(frame(m, t + 17), toPixels(STAGE, W)));
      }
      return hashes;
    };
    const a = run();
    expect(new Set(a).size).toBeGreaterThan(30);
    expect(run()).toEqual(a);
  });

  it('fades the cards in and out instead of cutting', () => {
    const { m, round } = live();
    const card = toPixels(LAYOUT.card, W);
    const red = '#e11d2e';
    let r = round;
    for (let i = 0; i < 50 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('B'), T0 + 3000 + i);
    const koAt = r.phaseAt;
    m.applySnapshot(snapshot(r, 2, koAt), koAt);
    const at = (ms: number) => countNear(frame(m, koAt + ms), card, red);
    const full = at(600);
    expect(full).toBeGreaterThan(5000);
    // Coming in: the card's red is faint at first, then full.
    const red20 = maxRed(frame(m, koAt + 20), card);
    const red100 = maxRed(frame(m, koAt + 100), card);
    const red600 = maxRed(frame(m, koAt + 600), card);
    expect(red20).toBeLessThan(red600 * 0.6);
    expect(red100).toBeGreaterThan(red20);
    // Going: faded out just before the phase ends (the K.O.! card shows for the round's finish length).
    expect(at(phaseLengths(r).finish - 40)).toBeLessThan(full / 2);
  });
});
