import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyTimeline, MIN_DRAW_INTERVAL_MS, planBatch, planSlot } from './frame-planner.ts';

const FPS = 30;

describe('planSlot', () => {
  it('without a session draws every slot, sends nothing and drops nothing, whatever the pacer missed', () => {
    for (const canQueue of [true, false]) {
      expect(planSlot({ streaming: false, missed: 5, canQueue, sinceDrawMs: 0 })).toEqual({ dropped: 0, draw: true, queue: false });
    }
  });

  it('with room to queue draws and sends the slot, and drops the slots the pacer missed', () => {
    expect(planSlot({ streaming: true, missed: 0, canQueue: true, sinceDrawMs: 33 })).toEqual({ dropped: 0, draw: true, queue: true });
    expect(planSlot({ streaming: true, missed: 3, canQueue: true, sinceDrawMs: 133 })).toEqual({ dropped: 3, draw: true, queue: true });
  });

  it('drops a late slot (no room to queue) on top of the missed ones, and does not draw it', () => {
    expect(planSlot({ streaming: true, missed: 0, canQueue: false, sinceDrawMs: 33 })).toEqual({ dropped: 1, draw: false, queue: false });
    expect(planSlot({ streaming: true, missed: 2, canQueue: false, sinceDrawMs: MIN_DRAW_INTERVAL_MS - 1 })).toEqual({ dropped: 3, draw: false, queue: false });
  });

  it('still draws a late slot once a second has gone by without a drawing, so the scene stays current', () => {
    expect(MIN_DRAW_INTERVAL_MS).toBe(1000);
    expect(planSlot({ streaming: true, missed: 0, canQueue: false, sinceDrawMs: MIN_DRAW_INTERVAL_MS })).toEqual({ dropped: 1, draw: true, queue: false });
    expect(planSlot({ streaming: true, missed: 0, canQueue: false, sinceDrawMs: Infinity })).toEqual({ dropped: 1, draw: true, queue: false });
  });
});

describe('planBatch', () => {
  it("starts a session's media clock at the slot of its first frame, with no repeats", () => {
    expect(planBatch(emptyTimeline(), 7, FPS, false)).toEqual({ repeats: 0, timeline: { firstSlot: 7, queued: 1 } });
  });

  it('sends back-to-back slots alone', () => {
    expect(planBatch({ firstSlot: 7, queued: 1 }, 8, FPS, true)).toEqual({ repeats: 0, timeline: { firstSlot: 7, queued: 2 } });
  });

  it('fills the slots missed since the last frame queued with repeats of it', () => {
    // Queued so far: slots 10..14. Slots 15, 16 and 17 went by (missed by the pacer or dropped as late).
    expect(planBatch({ firstSlot: 10, queued: 5 }, 18, FPS, true)).toEqual({ repeats: 3, timeline: { firstSlot: 10, queued: 9 } });
  });

  it('fills a gap of up to a second (fps slots), and gives up on a longer one: the clock starts over at the slot', () => {
    expect(planBatch({ firstSlot: 0, queued: 1 }, 1 + FPS, FPS, true)).toEqual({ repeats: FPS, timeline: { firstSlot: 0, queued: FPS + 2 } });
    expect(planBatch({ firstSlot: 0, queued: 1 }, 2 + FPS, FPS, true)).toEqual({ repeats: 0, timeline: { firstSlot: 1 + FPS, queued: 2 } });
  });

  it('does not repeat without a frame to repeat: the gap is accepted', () => {
    expect(planBatch({ firstSlot: 0, queued: 1 }, 5, FPS, false)).toEqual({ repeats: 0, timeline: { firstSlot: 4, queued: 2 } });
  });

  it('queues the fresh frame alone for a slot the timeline has already passed (a restarted pacer counts from 0)', () => {
    expect(planBatch({ firstSlot: 100, queued: 50 }, 3, FPS, true)).toEqual({ repeats: 0, timeline: { firstSlot: 100, queued: 51 } });
  });

  it('keeps the media clock on the wall clock: after any batch, the session has a frame for every slot up to this one', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.array(fc.integer({ min: 1, max: 3 * FPS }), { minLength: 1, maxLength: 200 }), (start, steps) => {
        let timeline = emptyTimeline();
        let previous: number | null = null;
        let slot = start;
        for (const step of steps) {
          const plan = planBatch(timeline, slot, FPS, previous !== null);
          const gap = previous === null ? 0 : slot - previous - 1;
          expect(plan.repeats).toBe(gap <= FPS ? gap : 0);
          expect(plan.timeline.firstSlot! + plan.timeline.queued).toBe(slot + 1);
          timeline = plan.timeline;
          previous = slot;
          slot += step;
        }
      }),
    );
  });
});
