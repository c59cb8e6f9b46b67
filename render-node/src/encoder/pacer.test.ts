import { expect, it } from 'vitest';
import { createPacer, type Clock } from './pacer.ts';

function fakeClock() {
  let now = 1000;
  const log: string[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      log.push(`sleep ${ms}`);
      now += ms;
    },
    yield: async () => {
      log.push('yield');
    },
  };
  return { clock, log, advance: (ms: number) => (now += ms) };
}

it('waits for each slot, yields every time, and counts the slots it missed', async () => {
  const { clock, log, advance } = fakeClock();
  const pacer = createPacer(25, clock);

  expect(await pacer.next()).toMatchObject({ index: 0, missed: 0 });
  expect(await pacer.next()).toMatchObject({ index: 1, missed: 0 });
  expect(log).toEqual(['yield', 'sleep 40', 'yield']);

  // A 130 ms stall: slots 2, 3 and 4 went by; the next one handed out is the current one, 4.
  advance(130);
  log.length = 0;
  expect(await pacer.next()).toMatchObject({ index: 4, missed: 2 });
  expect(log).toEqual(['yield']);
});

it('stamps slots with epoch milliseconds one period apart', async () => {
  const { clock } = fakeClock();
  const pacer = createPacer(50, clock);
  const a = await pacer.next();
  const b = await pacer.next();
  expect(b.t - a.t).toBeCloseTo(20, 6);
  expect(a.t).toBeCloseTo(performance.timeOrigin + 1000, 3);
});
