import fc from 'fast-check';
import { expect, it } from 'vitest';
import { VIDEO_QUEUE_FRAMES } from './ffmpeg-args.ts';
import { capRepeats, MAX_REPEATS } from './frame-loop.ts';
import { planBatch } from './frame-planner.ts';

const FPS = 30;

it('keeps a batch of repeats and its fresh frame within half of FFmpeg’s input queue', () => {
  expect(MAX_REPEATS + 1).toBe(VIDEO_QUEUE_FRAMES / 2);
  expect(capRepeats(planBatch({ firstSlot: 0, queued: 1 }, 1 + FPS, FPS, true))).toEqual({ repeats: MAX_REPEATS, timeline: { firstSlot: FPS - MAX_REPEATS, queued: MAX_REPEATS + 2 } });
});

it('leaves a batch with few enough repeats as planned', () => {
  const plan = planBatch({ firstSlot: 10, queued: 5 }, 15 + MAX_REPEATS, FPS, true);
  expect(plan.repeats).toBe(MAX_REPEATS);
  expect(capRepeats(plan)).toBe(plan);
});

it('gives up the older slots for good: the next slot after a capped batch needs no repeats', () => {
  fc.assert(
    fc.property(fc.nat(1000), fc.nat(200), fc.integer({ min: 0, max: 2 * FPS }), (firstSlot, queued, gap) => {
      const slot = firstSlot + queued + gap;
      const { repeats, timeline } = capRepeats(planBatch({ firstSlot, queued }, slot, FPS, true));
      expect(repeats).toBeLessThanOrEqual(MAX_REPEATS);
      expect(planBatch(timeline, slot + 1, FPS, true).repeats).toBe(0);
    }),
  );
});
