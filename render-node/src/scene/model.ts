/**
 * Turns room snapshots (about 10 a second) into a view for any frame time t (30 a second): HP and votes ease toward
 * the latest values, the clock runs on the server's time, and every new hit starts its animation at the first frame
 * drawn after the snapshot that carried it. Times are ms on the caller's clock (the same one as `receivedAt`).
 */
import { isFight, timeLeftMs } from '@stream-fighter/core';
import type { AttackKind, ChatFeedEntry, FighterCard, Hit, Matchup, OptionId, Phase, RoundResult, RoundState, SeasonOnAir, Shoutout, Snapshot } from '@stream-fighter/core';
import { sharePct, totalVotes } from '@stream-fighter/view/shares';
import { betsView, type BetsView } from './bets.ts';
import { comboView, nextCombo } from './combo.ts';
import type { ComboState, ComboView } from './combo.ts';
import { approachStance, introStance, knockedBack, stanceAt, warp } from './motion.ts';
import type { Stance, StanceSeg } from './motion.ts';

import type { Sfx } from '../encoder/synth.ts';
import { CueTracker } from './cues.ts';

/** The sounds a frame starts: one list for the scene and the mixer (synth.ts). */
export type { Sfx };
export type Pose = 'idle' | 'punch' | 'kick' | 'special' | 'hurt' | 'ko' | 'win';
export type Connection = 'connected' | 'reconnecting';

/** How long each animation lasts, ms. */
export const ANIM_MS = { punch: 260, kick: 340, special: 620, hurt: 300, hp: 350, ghostDelay: 350, ghost: 600, votes: 400, effect: 700 } as const;

export type OptionView = {
  id: OptionId;
  fighter: Matchup['options'][number]['fighter'];
  /** The latest HP from the room, and the eased value the bar shows; the ghost trails behind to show the damage. */
  hp: number;
  hpShown: number;
  hpGhost: number;
  votes: number;
  votesShown: number;
  /** Share of all votes, 0–100, rounded. */
  pct: number;
  pose: Pose;
  /** ms since the pose started (for idle: a free-running clock). */
  poseMs: number;
  /** Its tier and record from the room (drawn beside the name), once the room has read them; absent for a poll. */
  card?: FighterCard;
};

/** A hit being drawn as an impact (spark, damage number), with its age in ms. */
export type HitEffect = { hit: Hit; ageMs: number; moveName: string };

export type SceneView = {
  t: number;
  connection: Connection;
  /** Nothing received yet: the "connecting" scene. */
  connecting: boolean;
  round: RoundState | null;
  phase: Phase | null;
  fight: boolean;
  /** Server time for this frame, and ms since the round's phase began on that clock. */
  serverNow: number;
  phaseMs: number;
  timeLeftMs: number;
  options: OptionView[];
  totalVotes: number;
  effects: HitEffect[];
  previous: RoundResult | null;
  upNext: Matchup | null;
  shoutouts: Shoutout[];
  /** The latest chat voters of the live round, oldest first (draw-chat.ts times their slide and fade from `at`). */
  chatFeed: ChatFeedEntry[];
  /** Chat votes are open (a chat bridge reads chat): only then does the QR panel ask for them (draw.ts). */
  chatOpen: boolean;
  /** Where the season's cycle is, and the tournament's bracket while there is one (draw-season.ts); null from rooms older than the cycle. */
  season: SeasonOnAir | null;
  /**
   * The betting window while the room takes bets (bets.ts; draw-odds.ts draws it): the odds, the match they are
   * about, and the countdown to the stream's close on this frame's server time; null outside the window.
   */
  bets: BetsView | null;
  /** Hits first shown by this view (since the previous advanceTo() call), and the sounds that go with this frame. */
  newHits: Hit[];
  sfx: Sfx[];
  /** Where each option's fighter stands (same order as `options`); see motion.ts. */
  motion: Stance[];
  /** The combo counter on screen, if any. */
  combo: ComboView | null;
  /** Real ms since this view first showed the round's KO (null: no KO seen here); the slow-motion beat runs from it. */
  koMs: number | null;
};

type Ease = { from: number; to: number; start: number; dur: number };
type Action = { kind: AttackKind | 'hurt'; start: number };

const easeOut = (x: number) => 1 - (1 - x) ** 3;

function easeAt(e: Ease, t: number): number {
  if (t <= e.start) return e.from;
  if (t >= e.start + e.dur) return e.to;
  return e.from + (e.to - e.from) * easeOut((t - e.start) / e.dur);
}

const isOver = (round: RoundState) => round.phase === 'finished' || round.phase === 'results';

export class SceneModel {
  #snap: Snapshot | null = null;
  #offset = 0;
  #connection: Connection = 'connected';
  #hp = new Map<OptionId, Ease>();
  #ghost = new Map<OptionId, Ease>();
  #votes = new Map<OptionId, Ease>();
  #attack = new Map<OptionId, Action>();
  #hurt = new Map<OptionId, number>();
  #effects: Array<{ hit: Hit; start: number }> = [];
  #pending: Hit[] = [];
  #pendingKo = false;
  #koStart: number | null = null;
  #cues = new CueTracker();
  /** Motion: each fighter's latest knock-back, the running combo, and when this view first saw the round over. */
  #stance = new Map<OptionId, StanceSeg>();
  #combo: ComboState | null = null;
  #overAt: number | null = null;
  #lastHitN = 0;
  #lastT = -Infinity;

  /** Applies a snapshot received at `receivedAt`; a stale or out-of-order one (seq not newer) is dropped: false. */
  applySnapshot(s: Snapshot, receivedAt: number): boolean {
    const prev = this.#snap;
    if (prev && s.seq <= prev.seq) return false;
    this.#updateOffset(s.now - receivedAt);
    const newRound = !prev || prev.round.pollId !== s.round.pollId;
    const at = Math.max(receivedAt, this.#lastT);
    if (newRound) {
      this.#resetRound(s.round);
      // At start-up the hits already in the state are history, not news; in a new round every hit is news.
      this.#lastHitN = prev ? 0 : Math.max(0, ...s.round.hits.map((h) => h.n));
    } else {
      for (const o of s.round.matchup.options) {
        this.#retarget(this.#hp, o.id, s.round.hp[o.id] ?? 0, at, ANIM_MS.hp, 0);
        this.#retarget(this.#ghost, o.id, s.round.hp[o.id] ?? 0, at, ANIM_MS.ghost, ANIM_MS.ghostDelay);
        this.#retarget(this.#votes, o.id, s.round.votes[o.id] ?? 0, at, ANIM_MS.votes, 0);
      }
    }
    // Hits first seen once the results are up are old news (a renderer that was away): count them, skip the show.
    if (s.round.phase !== 'results') {
      for (const h of s.round.hits) if (h.n > this.#lastHitN) this.#pending.push(h);
    }
    this.#lastHitN = Math.max(this.#lastHitN, ...s.round.hits.map((h) => h.n));
    const wasOver = !newRound && prev !== null && (prev.round.phase === 'finished' || prev.round.phase === 'results');
    const isKo = (s.round.phase === 'finished' || s.round.phase === 'results') && s.round.outcome?.reason === 'ko';
    if (isKo && !wasOver && prev !== null) this.#pendingKo = true;
    this.#snap = s;
    return true;
  }

  setConnection(state: Connection): void {
    this.#connection = state;
  }

  /**
   * Advance the scene to frame time `t` and return its view. Not a pure read: it hands out the hits and sounds that arrived since the previous
   * call (each exactly once) and starts their animations at `t`, so call it once per frame drawn.
   */
  advanceTo(t: number): SceneView {
    this.#lastT = Math.max(this.#lastT, t);
    const s = this.#snap;
    const sfx: Sfx[] = [];
    const newHits = this.#pending;
    this.#pending = [];
    const serverNow = t + this.#offset;
    for (const h of newHits) {
      this.#attack.set(h.attacker, { kind: h.kind, start: t });
      this.#hurt.set(h.target, t);
      this.#effects.push({ hit: h, start: t });
      if (s) this.#stance.set(h.target, knockedBack(this.#stance.get(h.target) ?? null, this.#stanceOf(h.target, s.round, t, serverNow).d, h.kind, t));
      this.#combo = nextCombo(this.#combo, h, t);
      sfx.push(h.kind);
    }
    if (this.#pendingKo) {
      this.#pendingKo = false;
      this.#koStart = t;
      sfx.push('ko');
    }
    sfx.push(...this.#cues.next(s?.round ?? null, serverNow));
    // Animation ages run on the warped clock: slow during the KO's beat (motion.ts).
    const age = (start: number) => warp(t, this.#koStart) - warp(start, this.#koStart);
    this.#effects = this.#effects.filter((e) => age(e.start) < ANIM_MS.effect).slice(-8);
    if (!s) {
      return { t, connection: this.#connection, connecting: true, round: null, phase: null, fight: true, serverNow, phaseMs: 0, timeLeftMs: 0, options: [], totalVotes: 0, effects: [], previous: null, upNext: null, shoutouts: [], chatFeed: [], chatOpen: false, season: null, bets: null, newHits, sfx, motion: [], combo: null, koMs: null };
    }
    const round = s.round;
    if (this.#overAt === null && isOver(round)) this.#overAt = t;
    const total = totalVotes(round);
    const options = round.matchup.options.map((o) => {
      const view = this.#option(round, o, t, total, serverNow);
      const card = s.fighters?.[o.id];
      return card ? { ...view, card } : view;
    });
    const names = new Map(round.matchup.options.map((o) => [o.id, o.fighter.moves] as const));
    return {
      t,
      connection: this.#connection,
      connecting: false,
      round,
      phase: round.phase,
      fight: isFight(round.matchup),
      serverNow,
      phaseMs: Math.max(0, serverNow - round.phaseAt),
      timeLeftMs: timeLeftMs(round, serverNow),
      options,
      totalVotes: total,
      effects: this.#effects.map((e) => ({ hit: e.hit, ageMs: age(e.start), moveName: names.get(e.hit.attacker)?.[e.hit.kind] ?? '' })),
      previous: s.previous,
      upNext: s.upNext,
      shoutouts: s.shoutouts,
      // Rooms older than chat votes send none.
      chatFeed: s.chatFeed ?? [],
      chatOpen: s.chatOpen === true,
      season: s.season ?? null,
      bets: betsView(s, serverNow),
      newHits,
      sfx,
      motion: round.matchup.options.map((o) => this.#stanceOf(o.id, round, t, serverNow)),
      combo: comboView(this.#combo, t),
      koMs: this.#koStart === null ? null : t - this.#koStart,
    };
  }

  /**
   * Where the fighter stands: walking in before the round, closing in once it is live, pushed back by each hit
   * and walking forward again; once the round is over nobody walks any more (a knock-back still lands).
   */
  #stanceOf(id: OptionId, round: RoundState, t: number, serverNow: number): Stance {
    const seg = this.#stance.get(id);
    const over = isOver(round);
    if (seg) {
      const now = stanceAt(seg, t);
      if (!over || this.#overAt === null) return now;
      const stop = stanceAt(seg, Math.max(this.#overAt, seg.start + seg.dur));
      return { d: Math.min(now.d, stop.d), walking: false, stride: 0 };
    }
    if (round.phase === 'upcoming') return introStance(serverNow - round.phaseAt, round.liveAt - round.phaseAt);
    if (round.phase === 'live') return approachStance(serverNow - round.liveAt);
    return { d: approachStance(round.phaseAt - round.liveAt).d, walking: false, stride: 0 };
  }

  #option(round: RoundState, o: Matchup['options'][number], t: number, total: number, serverNow: number): OptionView {
    const hp = round.hp[o.id] ?? 0;
    const votes = round.votes[o.id] ?? 0;
    const e = (m: Map<OptionId, Ease>, fallback: number) => {
      const x = m.get(o.id);
      return x ? easeAt(x, t) : fallback;
    };
    const over = isOver(round);
    const w = (x: number) => warp(x, this.#koStart);
    let pose: Pose = 'idle';
    let poseMs = t;
    const attack = this.#attack.get(o.id);
    const hurt = this.#hurt.get(o.id);
    if (over && round.outcome?.reason === 'ko' && round.outcome.winner !== null && round.outcome.winner !== o.id) {
      pose = 'ko';
      // The fall runs on the warped clock (slow motion first); joined after the KO: where the server says it is.
      poseMs = this.#koStart === null ? serverNow - round.phaseAt : w(t) - w(this.#koStart);
    } else if (attack && w(t) - w(attack.start) < ANIM_MS[attack.kind]) {
      pose = attack.kind as Pose;
      poseMs = w(t) - w(attack.start);
    } else if (hurt !== undefined && w(t) - w(hurt) < ANIM_MS.hurt) {
      pose = 'hurt';
      poseMs = w(t) - w(hurt);
    } else if (over && round.outcome?.winner === o.id) {
      pose = 'win';
    }
    return {
      id: o.id,
      fighter: o.fighter,
      hp,
      hpShown: e(this.#hp, hp),
      hpGhost: e(this.#ghost, hp),
      votes,
      votesShown: e(this.#votes, votes),
      pct: sharePct(votes, total),
      pose,
      poseMs,
    };
  }

  #updateOffset(sample: number): void {
    // Network jitter makes each sample a little late; smooth small changes, follow big ones (a clock step).
    if (this.#snap === null || Math.abs(sample - this.#offset) > 1000) this.#offset = sample;
    else this.#offset += (sample - this.#offset) * 0.2;
  }

  #retarget(m: Map<OptionId, Ease>, id: OptionId, to: number, at: number, dur: number, delay: number): void {
    const cur = m.get(id);
    if (cur && cur.to === to) return;
    const from = cur ? easeAt(cur, at) : to;
    m.set(id, { from, to, start: at + delay, dur });
  }

  #resetRound(round: RoundState): void {
    this.#hp.clear();
    this.#ghost.clear();
    this.#votes.clear();
    this.#attack.clear();
    this.#hurt.clear();
    this.#effects = [];
    this.#pending = [];
    this.#pendingKo = false;
    this.#koStart = null;
    this.#stance.clear();
    this.#combo = null;
    this.#overAt = null;
    for (const o of round.matchup.options) {
      const hp = round.hp[o.id] ?? 0;
      const votes = round.votes[o.id] ?? 0;
      this.#hp.set(o.id, { from: hp, to: hp, start: 0, dur: 0 });
      this.#ghost.set(o.id, { from: hp, to: hp, start: 0, dur: 0 });
      this.#votes.set(o.id, { from: votes, to: votes, start: 0, dur: 0 });
    }
  }
}
