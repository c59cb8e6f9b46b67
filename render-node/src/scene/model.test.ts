import { describe, expect, it } from 'vitest';
import { MAX_HP, PHASE_MS, startRound } from '@stream-fighter/core';
import { COMBO } from './combo.ts';
import { tournamentOnAir } from './bracket-fixture.ts';
import { ANIM_MS, SceneModel } from './model.ts';
import { SLOWMO, STANCE } from './motion.ts';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, snapshot } from '@stream-fighter/core/fixtures/rounds';

const R = 5_000_000; // local clock, unrelated to the server's on purpose

function started() {
  const m = new SceneModel();
  const round = liveRound(showcaseFight(), T0);
  expect(m.applySnapshot(snapshot(round, 10, T0), R)).toBe(true);
  m.advanceTo(R);
  return { m, round };
}

describe('SceneModel', () => {
  it('shows the connecting scene before any snapshot', () => {
    const m = new SceneModel();
    const v = m.advanceTo(R);
    expect(v.connecting).toBe(true);
    expect(v.round).toBeNull();
    m.setConnection('reconnecting');
    expect(m.advanceTo(R + 1).connection).toBe('reconnecting');
  });

  it("carries the season's position and bracket from the latest snapshot; none from a room older than the cycle", () => {
    const { m, round } = started();
    expect(m.advanceTo(R + 10).season).toBeNull();
    const season = tournamentOnAir(2);
    expect(m.applySnapshot(snapshot(round, 11, T0 + 100, { season }), R + 100)).toBe(true);
    expect(m.advanceTo(R + 200).season).toBe(season);
    expect(m.advanceTo(R + 300).season?.position).toMatchObject({ stage: 'tournament', round: 'quarter-final', match: 3, of: 4 });
  });

  it('drops stale and out-of-order snapshots by seq', () => {
    const { m, round } = started();
    const hit = castVotes(round, ['A'], T0 + 50);
    expect(m.applySnapshot(snapshot(hit, 10, T0 + 100), R + 100)).toBe(false);
    expect(m.applySnapshot(snapshot(hit, 9, T0 + 100), R + 100)).toBe(false);
    expect(m.advanceTo(R + 2000).options[1]!.hp).toBe(MAX_HP);
    expect(m.applySnapshot(snapshot(hit, 11, T0 + 100), R + 100)).toBe(true);
    expect(m.advanceTo(R + 2000).options[1]!.hp).toBeLessThan(MAX_HP);
  });

  it('starts a hit at the first view after the snapshot that carries it, and sounds it once', () => {
    const { m, round } = started();
    const hit = castVotes(round, ['A'], T0 + 50);
    const kind = hit.hits[0]!.kind;
    m.applySnapshot(snapshot(hit, 11, T0 + 100), R + 100);
    const first = m.advanceTo(R + 100);
    expect(first.newHits.map((h) => h.n)).toEqual([1]);
    expect(first.sfx).toEqual([kind]);
    expect(first.options[0]!.pose).toBe(kind);
    expect(first.options[0]!.poseMs).toBe(0);
    expect(first.options[1]!.pose).toBe('hurt');
    const next = m.advanceTo(R + 133);
    expect(next.sfx).toEqual([]);
    expect(next.newHits).toEqual([]);
    expect(next.options[0]!.pose).toBe(kind);
    // The same hit again in later snapshots (hits keeps the recent ones) is not news.
    m.applySnapshot(snapshot(hit, 12, T0 + 200), R + 200);
    expect(m.advanceTo(R + 200).sfx).toEqual([]);
    expect(m.advanceTo(R + 2000).options[0]!.pose).toBe('idle');
  });

  it('emits one sound per hit when a snapshot carries several', () => {
    const { m, round } = started();
    const hits = castVotes(round, ['A', 'B', 'A', 'A'], T0 + 50);
    m.applySnapshot(snapshot(hits, 11, T0 + 100), R + 100);
    const v = m.advanceTo(R + 140);
    expect(v.sfx).toHaveLength(4);
    expect(v.sfx).toEqual(hits.hits.map((h) => h.kind));
    expect(m.advanceTo(R + 170).sfx).toEqual([]);
  });

  it('does not replay the hits already in the first snapshot it ever gets', () => {
    const m = new SceneModel();
    const round = castVotes(liveRound(showcaseFight(), T0), ['A', 'B'], T0 + 10);
    m.applySnapshot(snapshot(round, 1, T0 + 20), R);
    const v = m.advanceTo(R);
    expect(v.sfx).toEqual([]);
    expect(v.options.map((o) => o.pose)).toEqual(['idle', 'idle']);
  });

  it('eases the HP bar monotonically from the old value to the new one', () => {
    const { m, round } = started();
    const hit = castVotes(round, Array(20).fill('A'), T0 + 50);
    m.applySnapshot(snapshot(hit, 11, T0 + 100), R + 100);
    const target = hit.hp.B!;
    let prev = Infinity;
    const seen: number[] = [];
    for (let t = R + 100; t <= R + 100 + ANIM_MS.hp + 100; t += 10) {
      const o = m.advanceTo(t).options[1]!;
      expect(o.hpShown).toBeLessThanOrEqual(prev);
      expect(o.hpGhost).toBeGreaterThanOrEqual(o.hpShown);
      prev = o.hpShown;
      seen.push(o.hpShown);
    }
    expect(seen[0]).toBe(MAX_HP);
    expect(seen.at(-1)).toBe(target);
    expect(new Set(seen).size).toBeGreaterThan(5); // really in between, not a jump
    expect(m.advanceTo(R + 5000).options[1]!.hpGhost).toBe(target);
  });

  it('runs the clock on server time (snapshot.now vs receivedAt)', () => {
    const m = new SceneModel();
    const round = liveRound(showcaseFight(), T0);
    m.applySnapshot(snapshot(round, 1, T0), R);
    expect(m.advanceTo(R).timeLeftMs).toBe(round.endsAt - T0);
    expect(m.advanceTo(R + 1500).timeLeftMs).toBe(round.endsAt - T0 - 1500);
    expect(m.advanceTo(R + 1500).serverNow).toBe(T0 + 1500);
  });

  it("counts the bets' close down on server time less the stream delay, and shows the window only while it is open", () => {
    const m = new SceneModel();
    const round = startRound({ pollId: 'poll-2', matchup: showcaseFight(), now: T0, audience: 100 });
    const odds = { pollId: 'poll-2', open: true, closesAt: round.liveAt, streamDelayMs: 2_000, total: 0, sides: [] };
    m.applySnapshot(snapshot(round, 1, T0, { odds }), R);
    expect(m.advanceTo(R).bets?.matchup).toBe(round.matchup);
    expect(m.advanceTo(R).bets?.closeLeftMs).toBe(round.liveAt - 2_000 - T0);
    expect(m.advanceTo(R + 1500).bets?.closeLeftMs).toBe(round.liveAt - 2_000 - T0 - 1500);
    expect(m.advanceTo(round.liveAt - 1_000 - T0 + R).bets?.closeLeftMs, 'closed on stream, the room still open').toBe(0);
    m.applySnapshot(snapshot(round, 2, T0 + 100, { odds: { ...odds, open: false } }), R + 100);
    expect(m.advanceTo(R + 200).bets).toBeNull();
  });

  it('sounds the KO once when the round ends by knockout, and lays the loser down', () => {
    const { m, round } = started();
    let r = round;
    for (let i = 0; i < 50 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('B'), T0 + 100 + i);
    expect(r.outcome).toEqual({ reason: 'ko', winner: 'B' });
    m.applySnapshot(snapshot(r, 11, T0 + 300), R + 300);
    const v = m.advanceTo(R + 310);
    expect(v.sfx.filter((s) => s === 'ko')).toHaveLength(1);
    expect(v.options[0]!.pose).toBe('ko');
    m.applySnapshot(snapshot(r, 12, T0 + 400), R + 400);
    expect(m.advanceTo(R + 410).sfx).toEqual([]);
    expect(m.advanceTo(R + 2000).options[1]!.pose).toBe('win');
  });

  it('resets the bars at once for a new round', () => {
    const { m, round } = started();
    const hit = castVotes(round, Array(20).fill('A'), T0 + 50);
    m.applySnapshot(snapshot(hit, 11, T0 + 100), R + 100);
    const next = liveRound(showcaseFight('beach'), T0 + 60_000);
    m.applySnapshot(snapshot({ ...next, pollId: 'poll-2' }, 12, T0 + 60_000), R + 200);
    expect(m.advanceTo(R + 200).options[1]!.hpShown).toBe(MAX_HP);
  });
});

describe('SceneModel motion', () => {
  it('walks the fighters in during the intro and closes the distance once live', () => {
    const m = new SceneModel();
    const up = startRound({ pollId: 'p-intro', matchup: showcaseFight(), now: T0, audience: 200 });
    m.applySnapshot(snapshot(up, 1, T0), R);
    const start = m.advanceTo(R).motion;
    expect(start.map((s) => s.d)).toEqual([STANCE.introFrom, STANCE.introFrom]);
    expect(start.every((s) => s.walking)).toBe(true);
    expect(m.advanceTo(R + PHASE_MS.intro - 1).motion.map((s) => s.d)).toEqual([0, 0]);
    const live = started().m;
    expect(live.advanceTo(R + 60_000).motion.map((s) => s.d)).toEqual([STANCE.approach, STANCE.approach]);
  });

  it('knocks the target back at the first view of the hit, and it walks in again', () => {
    const { m, round } = started();
    const before = m.advanceTo(R + 5000).motion[1]!.d;
    const hit = castVotes(round, ['A'], T0 + 5000);
    m.applySnapshot(snapshot(hit, 11, T0 + 5000), R + 5000);
    expect(m.advanceTo(R + 5000).motion[1]!.d).toBe(before);
    expect(m.advanceTo(R + 5000 + STANCE.knockMs).motion[1]!.d).toBeLessThan(before - 20);
    expect(m.advanceTo(R + 5000 + STANCE.knockMs).motion[0]!.d).toBe(before);
    expect(m.advanceTo(R + 20_000).motion[1]!.d).toBe(STANCE.approach);
  });

  it('counts a streak of hits by one fighter as a combo', () => {
    const { m, round } = started();
    let r = round;
    let t = 1000;
    for (let i = 0; i < 3; i++, t += 400) {
      r = castVotes(r, ['A'], T0 + t);
      m.applySnapshot(snapshot(r, 11 + i, T0 + t), R + t);
      const v = m.advanceTo(R + t);
      if (i < 2) expect(v.combo).toBeNull();
      else expect(v.combo).toEqual({ attacker: 'A', count: 3, ageMs: 0 });
    }
    expect(m.advanceTo(R + t + COMBO.showMs).combo).toBeNull();
  });

  it('slows the fight down for a beat after a KO, then lets it run', () => {
    const { m, round } = started();
    let r = round;
    for (let i = 0; i < 50 && r.phase === 'live'; i++) r = castVotes(r, Array(40).fill('B'), T0 + 100 + i);
    m.applySnapshot(snapshot(r, 11, T0 + 300), R + 300);
    expect(m.advanceTo(R + 300).koMs).toBe(0);
    const slow = m.advanceTo(R + 300 + 600);
    expect(slow.koMs).toBe(600);
    expect(slow.options[0]!.poseMs).toBeCloseTo(600 * SLOWMO.rate);
    // The blow that did it is still on screen, slowed down with the rest.
    expect(slow.effects.at(-1)!.ageMs).toBeCloseTo(600 * SLOWMO.rate);
    const later = m.advanceTo(R + 300 + SLOWMO.ms + 1000).options[0]!.poseMs;
    expect(later).toBeCloseTo(SLOWMO.ms * SLOWMO.rate + 1000);
  });
});
