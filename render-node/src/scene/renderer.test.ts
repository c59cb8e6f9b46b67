import { describe, expect, it } from 'vitest';
import { MAX_HP, PHASE_MS, reduce } from '@stream-fighter/core';
import { createRenderer } from './renderer.ts';
import type { RendererOptions } from './renderer.ts';
import { SceneModel } from './model.ts';
import { LAYOUT, toPixels } from './layout.ts';
import { BAR_MAX, barRow } from './draw-bars.ts';
import { onDark } from '@stream-fighter/view/sprites/color';
import { showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { countNear, hashRegion, runLength } from './probe.ts';
import type { PixelFrame } from './probe.ts';

const W = 1280;
const H = 720;
const opts: RendererOptions = { width: W, height: H, lang: 'en', screen: 'fight', voteUrl: 'https://vote.example/' };
const renderer = createRenderer(opts);
const frame = (m: SceneModel, t: number, r = renderer): PixelFrame => ({ rgba: new Uint8Array(r.render(m.advanceTo(t), t)), width: r.width });

function live(matchup = showcaseFight()) {
  const m = new SceneModel();
  const round = liveRound(matchup, T0);
  m.applySnapshot(snapshot(round, 1, T0), T0);
  return { m, round };
}

describe('renderer', () => {
  it('returns opaque RGBA frames of width*height*4 bytes, and a PNG of the last one', async () => {
    const { m } = live();
    const f = frame(m, T0 + 2000);
    expect(f.rgba.length).toBe(W * H * 4);
    for (let i = 3; i < f.rgba.length; i += 4 * 997) expect(f.rgba[i]).toBe(255);
    const png = await renderer.png();
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const big = createRenderer({ ...opts, width: 1920, height: 1080 });
    expect(big.render(m.advanceTo(T0 + 2000), T0 + 2000).length).toBe(1920 * 1080 * 4);
  });

  it("frees each frame's pixels at the next render, so frames never wait for the GC", () => {
    const { m } = live();
    const r = createRenderer(opts);
    const first = r.render(m.advanceTo(T0 + 1000), T0 + 1000);
    const copy = Buffer.from(first);
    expect(first.length).toBe(W * H * 4);
    const second = r.render(m.advanceTo(T0 + 1000), T0 + 1000);
    // The first frame's memory went back to the addon: its buffer is detached (empty), the new one is whole.
    expect(first.length).toBe(0);
    expect(second.length).toBe(W * H * 4);
    expect(second.equals(copy)).toBe(true);
  });

  it('shrinks the HP bar after a snapshot with lower HP', () => {
    const { m, round } = live();
    const colour = onDark(showcaseFight().options[1]!.fighter.color);
    const bar = toPixels(LAYOUT.hp[1], W);
    const y = bar.y + Math.round(bar.h / 2);
    const before = runLength(frame(m, T0 + 2000), y, bar.x, bar.x + bar.w, colour);
    expect(before).toBeGreaterThan(bar.w - 4);
    const hit = castVotes(round, Array(30).fill('A'), T0 + 2100);
    m.applySnapshot(snapshot(hit, 2, T0 + 2100), T0 + 2100);
    const after = runLength(frame(m, T0 + 5000), y, bar.x, bar.x + bar.w, colour);
    const expected = (bar.w * hit.hp.B!) / MAX_HP;
    expect(after).toBeLessThan(before - 20);
    expect(Math.abs(after - expected)).toBeLessThanOrEqual(3);
  });

  it("draws each fighter's colour in its own half of the stage", () => {
    const { m } = live();
    const f = frame(m, T0 + 2000);
    const [a, b] = showcaseFight().options.map((o) => o.fighter.color);
    const left = toPixels({ x: 330, y: 280, w: 300, h: 290 }, W);
    const right = toPixels({ x: 650, y: 280, w: 300, h: 290 }, W);
    expect(countNear(f, left, a!, 12)).toBeGreaterThan(500);
    expect(countNear(f, right, b!, 12)).toBeGreaterThan(500);
    expect(countNear(f, left, b!, 12)).toBeLessThan(50);
    expect(countNear(f, right, a!, 12)).toBeLessThan(50);
  });

  it('shows the K.O. card when the round finishes by knockout', () => {
    const { m, round } = live();
    const card = toPixels(LAYOUT.card, W);
    const red = '#e11d2e';
    expect(countNear(frame(m, T0 + 3000), card, red)).toBeLessThan(200);
    let r = round;
    for (let i = 0; i < 50 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('B'), T0 + 3000 + i);
    m.applySnapshot(snapshot(r, 2, T0 + 3100), T0 + 3100);
    m.advanceTo(T0 + 3100);
    expect(countNear(frame(m, T0 + 3600), card, red)).toBeGreaterThan(5000);
  });

  it('shows the winner card and up next in results, and a draw card on a tie', () => {
    const { m, round } = live();
    const card = toPixels(LAYOUT.card, W);
    const yellow = '#ffd60a';
    const before = countNear(frame(m, T0 + 3000), card, yellow);
    const voted = castVotes(round, ['A', 'A', 'B'], T0 + 100);
    const results = reduce(voted, { type: 'tick' }, voted.endsAt + PHASE_MS.finish + 10).state;
    m.applySnapshot(snapshot(results, 2, results.phaseAt + 500, { upNext: showcaseFight('space') }), T0 + 4000);
    const won = frame(m, T0 + 5000);
    expect(countNear(won, card, yellow)).toBeGreaterThan(before + 2000);
    // A tie reads differently from a win: same card, other words.
    const tie = new SceneModel();
    const tied = reduce(liveRound(showcaseFight(), T0), { type: 'tick' }, round.endsAt + PHASE_MS.finish + 10).state;
    expect(tied.outcome?.winner).toBeNull();
    tie.applySnapshot(snapshot(tied, 1, tied.phaseAt + 500), T0 + 4000);
    const words = toPixels({ x: 200, y: 250, w: 880, h: 80 }, W);
    expect(hashRegion(frame(tie, T0 + 5000), words)).not.toBe(hashRegion(won, words));
  });

  it('changes the timer text as the clock runs, and only then', () => {
    const { m } = live();
    const timer = toPixels(LAYOUT.timer, W);
    const a = hashRegion(frame(m, T0 + 2000), timer);
    const same = hashRegion(frame(m, T0 + 2100), timer);
    const b = hashRegion(frame(m, T0 + 3000), timer);
    expect(same).toBe(a);
    expect(b).not.toBe(a);
  });

  it('scrolls the ticker as time passes', () => {
    const { m } = live();
    const ticker = toPixels(LAYOUT.ticker, W);
    const a = hashRegion(frame(m, T0 + 2000), ticker);
    const b = hashRegion(frame(m, T0 + 2100), ticker);
    expect(b).not.toBe(a);
  });

  it('draws a poll as bars whose lengths follow the votes', () => {
    const { m, round } = live(showcasePoll(4));
    const votes = { A: 40, B: 10, C: 20, D: 0 };
    const voted = castVotes(round, Object.entries(votes).flatMap(([id, n]) => Array(n).fill(id)), T0 + 100);
    m.applySnapshot(snapshot(voted, 2, T0 + 100), T0 + 100);
    const f = frame(m, T0 + 3000);
    const lengths = showcasePoll(4).options.map((o, i) => {
      const row = barRow(i, 4);
      const y = Math.round(row.y + 42 + Math.min(44, row.h - 52) / 2);
      return runLength(f, y, 128, 128 + BAR_MAX + 10, onDark(o.fighter.color), 12);
    });
    expect(Math.abs(lengths[0]! - BAR_MAX)).toBeLessThanOrEqual(2);
    expect(Math.abs(lengths[1]! - BAR_MAX / 4)).toBeLessThanOrEqual(3);
    expect(Math.abs(lengths[2]! - BAR_MAX / 2)).toBeLessThanOrEqual(3);
    expect(lengths[3]).toBe(0);
  });

  it('shows a reconnecting badge over the last state, which keeps moving', () => {
    const { m } = live();
    const badge = toPixels(LAYOUT.reconnecting, W);
    const amber = '#f59e0b';
    expect(countNear(frame(m, T0 + 2000), badge, amber)).toBeLessThan(50);
    m.setConnection('reconnecting');
    const a = frame(m, T0 + 2000);
    expect(countNear(a, badge, amber)).toBeGreaterThan(3000);
    const b = frame(m, T0 + 2400);
    const stage = toPixels({ x: 300, y: 250, w: 700, h: 330 }, W);
    expect(hashRegion(b, stage)).not.toBe(hashRegion(a, stage));
    // The fight is still there under the badge.
    expect(countNear(b, toPixels(LAYOUT.hp[0], W), onDark(showcaseFight().options[0]!.fighter.color))).toBeGreaterThan(10_000);
  });

  it('draws a connecting scene before the first snapshot, and every word in the chosen language', () => {
    const m = new SceneModel();
    const en = frame(m, T0);
    const es = createRenderer({ ...opts, lang: 'es' });
    const fes = frame(m, T0, es);
    const live = toPixels(LAYOUT.live, W);
    expect(hashRegion(fes, live)).not.toBe(hashRegion(en, live));
    expect(countNear(en, toPixels(LAYOUT.qr, W), '#000000', 0)).toBeGreaterThan(2000);
  });
});
