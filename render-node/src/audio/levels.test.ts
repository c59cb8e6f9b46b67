import { expect, it } from 'vitest';
import { mixLevels } from './levels.ts';

// A low rate keeps the setup quick; the cache does not care.
const RATE = 16_000;

it('sets the levels once per mode, rate and target: main.ts does it at start, before any stream runs', () => {
  const first = mixLevels('bed', RATE, -16);
  const t0 = performance.now();
  expect(mixLevels('bed', RATE, -16)).toBe(first);
  // A cached answer costs no measurable time (the setup itself takes seconds at 48 kHz).
  expect(performance.now() - t0).toBeLessThan(5);
  const quieter = mixLevels('bed', RATE, -20);
  expect(quieter).not.toBe(first);
  expect(quieter.targetLufs).toBe(-20);
});
