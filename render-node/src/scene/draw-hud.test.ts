/** The HUD's clock: it runs while the round is live and stops where it was when the round ends. */
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { PHASE_MS, reduce } from '@stream-fighter/core';
import type { RoundState } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound } from '@stream-fighter/core/fixtures/rounds';
import { drawTimer } from './draw-hud.ts';
import { LAYOUT } from './layout.ts';
import type { SceneView } from './model.ts';
import { hashRegion } from './probe.ts';

/** The timer box as drawn for this round at server time `now` (what model.ts gives the HUD: 0 once over). */
function timerPixels(round: RoundState, now: number): string {
  const left = round.phase === 'live' ? Math.max(0, round.endsAt - now) : 0;
  return timerOf({ round, phase: round.phase, serverNow: now, timeLeftMs: left } as SceneView);
}

function timerOf(view: SceneView): string {
  const c = createCanvas(1280, 720);
  const ctx = c.getContext('2d');
  drawTimer(ctx, view);
  return hashRegion({ rgba: new Uint8Array(ctx.getImageData(0, 0, 1280, 720).data.buffer), width: 1280 }, LAYOUT.timer);
}

describe('the clock on the stream', () => {
  const live = liveRound(showcaseFight(), T0);
  // 1:06 to go: the moment of the KO below.
  const at = live.endsAt - 66_000;

  function knockOut(): RoundState {
    let r = live;
    for (let i = 0; i < 80 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('A'), at);
    expect(r.outcome?.reason).toBe('ko');
    return r;
  }

  it('shows the time left at a KO (1:06), not 0:00, through the K.O. card and the results', () => {
    const showing = timerPixels(live, at);
    const zero = timerPixels(live, live.endsAt - 500);
    expect(showing).not.toBe(zero);
    const ko = knockOut();
    expect(timerPixels(ko, at + 2_000)).toBe(showing);
    const results = reduce(ko, { type: 'tick' }, at + PHASE_MS.finish + 1).state;
    expect(results.phase).toBe('results');
    expect(timerPixels(results, at + PHASE_MS.finish + 3_000)).toBe(showing);
  });

  it('stops where it was on an operator rotate, and reads 0:00 only after a time-out', () => {
    const rotated = reduce(live, { type: 'rotate' }, at).state;
    expect(timerPixels(rotated, at + 1_000)).toBe(timerPixels(live, at));
    const timedOut = reduce(live, { type: 'tick' }, live.endsAt + 1).state;
    const zero = timerOf({ round: null, phase: 'finished', serverNow: 0, timeLeftMs: 0 } as SceneView);
    expect(timerPixels(timedOut, live.endsAt + 1_000)).toBe(zero);
    expect(timerPixels(rotated, at + 1_000)).not.toBe(zero);
  });
});
