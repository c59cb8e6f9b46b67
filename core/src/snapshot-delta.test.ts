import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fightMatchup, pollMatchup } from '../fixtures/matchups.ts';
import { play, unanimous, votes, type Step } from '../fixtures/round-play.ts';
import { liveFight, shout, snapshot, T0 } from '../fixtures/rounds.ts';
import { SnapshotDelta, type Snapshot } from './protocol.ts';
import { startRound, type RoundEvent } from './round.ts';
import { RECENT_HITS } from './round-state.ts';
import { RoomFeed, applyDelta, diffSnapshots } from './snapshot-delta.ts';

/** Characters of the JSON: bytes for these ASCII messages (core has no TextEncoder types). */
const size = (m: unknown) => JSON.stringify(m).length;

/** What the room does between snapshots: its round moves on, and the rest of what viewers see changes now and then. */
const eventArb: fc.Arbitrary<RoundEvent> = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.constantFrom('A', 'B', 'C', 'D'), { maxLength: 30 }).map((o) => votes(...o)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('A' as const, 'B' as const), fc.integer({ min: 1, max: 60 })).map(([o, n]) => unanimous(o, n)) },
  { weight: 3, arbitrary: fc.constant({ type: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'rotate' as const }) },
);
const extraArb = fc.record({
  shoutout: fc.option(fc.string({ maxLength: 12 }), { freq: 4 }),
  feed: fc.option(fc.constantFrom('A' as const, 'B' as const), { freq: 3 }),
  chatOpen: fc.option(fc.boolean(), { freq: 5 }),
  upNext: fc.option(fc.boolean(), { freq: 6 }),
  newRound: fc.integer({ min: 0, max: 30 }),
});
const stepsArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 20_000 }), event: eventArb, extra: extraArb }), { minLength: 1, maxLength: 60 });

/** The snapshots a room would broadcast for these steps (seq up by at least one each, as runner.changed does). */
function sample(options: 2 | 4, raw: { dt: number; event: RoundEvent; extra: { shoutout: string | null; feed: 'A' | 'B' | null; chatOpen: boolean | null; upNext: boolean | null; newRound: number } }[]): Snapshot[] {
  const matchup = options === 2 ? fightMatchup() : pollMatchup(4);
  let round = startRound({ pollId: 'p-0', matchup, now: T0, audience: 50 });
  let at = T0;
  let seq = 1;
  let rounds = 0;
  let s = snapshot(round, seq, at, { chatFeed: [], chatOpen: false });
  const out = [s];
  for (const { dt, event, extra } of raw) {
    at += dt;
    const steps: Step[] = [{ at, event }];
    round = play(round, steps).at(-1)!.state;
    // Now and then a new round, as the room starts one after the results card.
    if (extra.newRound === 0) round = startRound({ pollId: `p-${++rounds}`, matchup, now: at, audience: 50 + rounds });
    const shoutouts = extra.shoutout === null ? s.shoutouts : [...s.shoutouts, shout(`u${seq}`, extra.shoutout, at)].slice(-20);
    const chatFeed = extra.feed === null ? s.chatFeed : [...(s.chatFeed ?? []), { name: `viewer${seq}`, option: extra.feed, at }].slice(-5);
    seq += 1 + (extra.newRound % 3);
    s = snapshot(round, seq, at, {
      shoutouts,
      chatFeed,
      chatOpen: extra.chatOpen ?? s.chatOpen,
      upNext: extra.upNext === null ? s.upNext : extra.upNext ? fightMatchup('Next One', 'Next Two') : null,
      previous: s.previous,
    });
    out.push(s);
  }
  return out;
}

describe('snapshot deltas', () => {
  it('applying each delta to the state before gives exactly the snapshot the room would send at that seq', () => {
    fc.assert(
      fc.property(fc.constantFrom(2 as const, 4 as const), stepsArb, (options, raw) => {
        const snaps = sample(options, raw);
        const feed = new RoomFeed();
        expect(feed.receive(snaps[0]!)).toBe('applied');
        for (let i = 1; i < snaps.length; i++) {
          const delta = diffSnapshots(snaps[i - 1]!, snaps[i]!);
          // Every change the room makes is expressible as a delta; the schema accepts what the room sends.
          expect(delta).not.toBeNull();
          expect(SnapshotDelta.parse(delta)).toEqual(delta);
          expect(feed.receive(delta!)).toBe('applied');
          expect(feed.state).toEqual(snaps[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a vote is tens of bytes, not a snapshot: tally, HP and the new hit only', () => {
    const fight = liveFight({ votesPerSnapshot: 1 });
    const a = fight.next(T0 + 100);
    // The fixture stamps its shout-out with the snapshot's time; the room's shout-outs stay put between votes.
    const b = { ...fight.next(T0 + 200), shoutouts: a.shoutouts };
    const delta = diffSnapshots(a, b)!;
    expect(delta.roundPatch?.votes).toEqual(b.round.votes);
    for (const key of Object.keys(delta.roundPatch ?? {})) expect(['votes', 'hp', 'hitCount', 'hitsAdded']).toContain(key);
    expect(delta.round).toBeUndefined();
    expect(delta.shoutouts).toBeUndefined();
    // The bar: smaller than the seed's 345-byte heartbeat; the snapshot it replaces is several times that.
    expect(size(delta)).toBeLessThan(345);
    expect(size(b)).toBeGreaterThan(4 * size(delta));
  });

  it('keeps only the last RECENT_HITS hits when a patch adds more than fit', () => {
    let round = startRound({ pollId: 'p', matchup: fightMatchup(), now: T0 - 6_000, audience: 10_000 });
    round = play(round, [{ at: T0, event: { type: 'tick' } }]).at(-1)!.state;
    const before = snapshot(round, 1, T0);
    const after = snapshot(play(round, [{ at: T0 + 50, event: votes(...Array.from({ length: RECENT_HITS + 5 }, (_, i) => (i % 2 ? 'A' : 'B'))) }]).at(-1)!.state, 2, T0 + 50);
    const delta = diffSnapshots(before, after)!;
    expect(applyDelta(before, delta)).toEqual(after);
    expect(applyDelta(before, delta).round.hits).toHaveLength(Math.min(RECENT_HITS, after.round.hits.length));
  });

  it('is a delta whatever the order of keys the next state was built in', () => {
    const fight = liveFight();
    const a = fight.next(T0 + 100);
    const b = fight.next(T0 + 200);
    const reordered = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const shuffled = { ...reordered(b), round: reordered(b.round) } as Snapshot;
    const delta = diffSnapshots(a, shuffled);
    expect(delta).not.toBeNull();
    expect(delta!.round).toBeUndefined();
    expect(applyDelta(a, delta!)).toEqual(b);
  });

  it('says a full snapshot is needed for another room, an older seq, or a field that went away', () => {
    const fight = liveFight();
    const a = fight.next(T0 + 100);
    const b = fight.next(T0 + 200);
    expect(diffSnapshots(a, { ...b, room: 'other' })).toBeNull();
    expect(diffSnapshots(b, a)).toBeNull();
    expect(diffSnapshots({ ...a, chatOpen: true }, { ...b, chatOpen: undefined })).toBeNull();
  });
});

describe('RoomFeed', () => {
  const fight = liveFight({ votesPerSnapshot: 2 });
  const snaps = Array.from({ length: 6 }, (_, i) => fight.next(T0 + 100 * (i + 1)));
  const deltas = snaps.slice(1).map((s, i) => diffSnapshots(snaps[i]!, s)!);

  it('asks for a resync when a delta was lost, and never applies one on the wrong state', () => {
    const feed = new RoomFeed();
    expect(feed.receive(deltas[0]!)).toBe('gap');
    expect(feed.state).toBeNull();
    feed.receive(snaps[0]!);
    expect(feed.receive(deltas[1]!)).toBe('gap');
    expect(feed.state).toEqual(snaps[0]);
    // The resync's snapshot, then the deltas from there on.
    expect(feed.receive(snaps[2]!)).toBe('applied');
    expect(feed.receive(deltas[2]!)).toBe('applied');
    expect(feed.state).toEqual(snaps[3]);
  });

  it('drops what is late or repeated: an old snapshot, a delta it already applied, reordered messages', () => {
    const feed = new RoomFeed();
    feed.receive(snaps[0]!);
    feed.receive(deltas[0]!);
    feed.receive(deltas[1]!);
    expect(feed.receive(deltas[1]!)).toBe('stale');
    expect(feed.receive(deltas[0]!)).toBe('stale');
    expect(feed.receive(snaps[1]!)).toBe('stale');
    expect(feed.state).toEqual(snaps[2]);
    // Out of order: the later one first is a gap (not applied), the earlier one then applies.
    expect(feed.receive(deltas[3]!)).toBe('gap');
    expect(feed.receive(deltas[2]!)).toBe('applied');
    expect(feed.receive(deltas[3]!)).toBe('applied');
    expect(feed.state).toEqual(snaps[4]);
  });
});
