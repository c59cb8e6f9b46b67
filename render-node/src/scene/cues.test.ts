import { describe, expect, it } from 'vitest';
import { CueTracker, roundCues, type CueMoment } from './cues.ts';

const LIVE_AT = 100_000;
const at = (serverNow: number, phase: CueMoment['phase'] = serverNow < LIVE_AT ? 'upcoming' : 'live', pollId = 'p1'): CueMoment => ({
  pollId,
  phase,
  liveAt: LIVE_AT,
  serverNow,
});

/** Every cue over a run of 30 fps frames from `from` to `to` (server ms). */
function cuesOver(from: number, to: number, phase?: CueMoment['phase']): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let prev: CueMoment | null = null;
  for (let t = from; t <= to; t += 1000 / 30) {
    const cur = at(t, phase);
    for (const c of roundCues(prev, cur)) out.push([Math.round(t), c]);
    prev = cur;
  }
  return out;
}

describe('roundCues', () => {
  it('beeps at 3, 2 and 1 s before the round goes live, then rings the bell, each once and on time', () => {
    const cues = cuesOver(LIVE_AT - 5_000, LIVE_AT + 2_000);
    expect(cues.map(([, c]) => c)).toEqual(['countdown', 'countdown', 'countdown', 'round-start']);
    const times = cues.map(([t]) => t - LIVE_AT);
    for (const [i, want] of [-3000, -2000, -1000, 0].entries()) {
      expect(times[i]).toBeGreaterThanOrEqual(want);
      expect(times[i]).toBeLessThan(want + 34);
    }
  });

  it('plays the fanfare when the results come up, once', () => {
    expect(roundCues(at(LIVE_AT + 60_000, 'finished'), at(LIVE_AT + 60_033, 'results'))).toEqual(['result']);
    expect(roundCues(at(LIVE_AT + 60_033, 'results'), at(LIVE_AT + 60_066, 'results'))).toEqual([]);
    // The next round's snapshot arriving is not a result.
    expect(roundCues(at(LIVE_AT + 60_033, 'results'), at(LIVE_AT + 60_066, 'upcoming', 'p2'))).toEqual([]);
  });

  it('stays quiet for a renderer that joins, stalls or sees the round rotated away before it starts', () => {
    expect(roundCues(null, at(LIVE_AT - 2_990))).toEqual([]);
    expect(roundCues(null, at(LIVE_AT, 'results'))).toEqual([]);
    // A 2-s stall across the whole countdown: the boundaries it skipped are stale news.
    expect(roundCues(at(LIVE_AT - 3_100), at(LIVE_AT - 400))).toEqual([]);
    // …but the one it just crossed still plays.
    expect(roundCues(at(LIVE_AT - 3_100), at(LIVE_AT - 900))).toEqual(['countdown']);
    // Rotated during the intro: no longer upcoming, so no bell at the time it would have gone live.
    expect(roundCues(at(LIVE_AT - 10, 'finished'), at(LIVE_AT + 20, 'finished'))).toEqual([]);
    // Time going backwards (a clock step) plays nothing.
    expect(roundCues(at(LIVE_AT + 20), at(LIVE_AT - 1_010))).toEqual([]);
  });
});

describe('CueTracker', () => {
  it('remembers the previous frame and forgets it when no round is on screen', () => {
    const tracker = new CueTracker();
    const round = { pollId: 'p1', phase: 'upcoming' as const, liveAt: LIVE_AT };
    expect(tracker.next(round, LIVE_AT - 1_010)).toEqual([]);
    expect(tracker.next(round, LIVE_AT - 990)).toEqual(['countdown']);
    expect(tracker.next(null, LIVE_AT - 980)).toEqual([]);
    expect(tracker.next({ ...round, phase: 'live' }, LIVE_AT + 10)).toEqual([]);
  });
});
