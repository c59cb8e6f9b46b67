/**
 * The round's sound cues, from what the frame before showed and what this frame shows: a beep at each of the
 * intro's last three seconds ("3, 2, 1"), the bell when the round goes live, the fanfare when the results come up.
 * Pure: the scene model calls it once per frame with the previous frame's moment (CueTracker keeps that).
 */
import type { Phase } from '@stream-fighter/core';
import type { Sfx } from '../encoder/synth.ts';

export type CueMoment = {
  /** The round on screen (its poll id), its phase, when it goes live, and the server time of the frame. */
  pollId: string;
  phase: Phase;
  liveAt: number;
  serverNow: number;
};

export type Cue = Extract<Sfx, 'countdown' | 'round-start' | 'result'>;

/** Seconds before going live that beep. */
const COUNTDOWN_S = [3, 2, 1];
/**
 * A boundary crossed longer ago than this is news to nobody: a renderer that stalled or just joined stays quiet
 * rather than play a countdown for a round that has already started.
 */
const STALE_MS = 500;

export function roundCues(prev: CueMoment | null, cur: CueMoment): Cue[] {
  if (!prev || cur.serverNow <= prev.serverNow) return [];
  const crossed = (at: number) => prev.serverNow < at && at <= cur.serverNow && cur.serverNow - at < STALE_MS;
  const cues: Cue[] = [];
  if (cur.phase === 'upcoming' || cur.phase === 'live') {
    for (const s of COUNTDOWN_S) if (crossed(cur.liveAt - s * 1000)) cues.push('countdown');
    // By the clock rather than by the phase: snapshots come ~10 a second, the bell belongs on the frame the clock
    // says. A round ended before it went live (an operator rotate) is no longer upcoming or live, so no bell.
    if (crossed(cur.liveAt)) cues.push('round-start');
  }
  if (cur.phase === 'results' && prev.pollId === cur.pollId && prev.phase !== 'results') cues.push('result');
  return cues;
}

/** roundCues with the previous frame remembered: `next` once per frame drawn. */
export class CueTracker {
  #prev: CueMoment | null = null;

  next(round: { pollId: string; phase: Phase; liveAt: number } | null, serverNow: number): Cue[] {
    if (!round) {
      this.#prev = null;
      return [];
    }
    const cur = { pollId: round.pollId, phase: round.phase, liveAt: round.liveAt, serverNow };
    const cues = roundCues(this.#prev, cur);
    this.#prev = cur;
    return cues;
  }
}
