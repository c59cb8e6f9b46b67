import { expect, it } from 'vitest';
import { createFrameBuffers, SPARE_IDLE_MS } from './frame-buffers.ts';

const BYTES = 64;

it('reuses one buffer while nothing still holds it at the next slot', () => {
  const buffers = createFrameBuffers(BYTES, () => 0);
  const first = buffers.free(() => false);
  for (let i = 0; i < 10; i++) expect(buffers.free(() => false)).toBe(first);
  expect(buffers.held).toBe(1);
  expect(first?.byteLength).toBe(BYTES);
});

it('takes a spare while the first is being written, and has none to give when both are', () => {
  const buffers = createFrameBuffers(BYTES, () => 0);
  const first = buffers.free(() => false)!;
  const spare = buffers.free((b) => b === first);
  expect(spare).not.toBeNull();
  expect(spare).not.toBe(first);
  expect(buffers.free(() => true)).toBeNull();
  expect(buffers.held).toBe(2);
});

it(`gives the spare back once it has gone unused for ${SPARE_IDLE_MS} ms, and not before`, () => {
  let t = 0;
  const buffers = createFrameBuffers(BYTES, () => t);
  const first = buffers.free(() => false)!;
  const spare = buffers.free((b) => b === first)!;
  t += SPARE_IDLE_MS - 1;
  expect(buffers.free(() => false)).toBe(first);
  expect(buffers.held).toBe(2);
  // Still being written: kept whatever the time.
  t += 1;
  expect(buffers.free((b) => b === spare)).toBe(first);
  expect(buffers.held).toBe(2);
  expect(buffers.free(() => false)).toBe(first);
  expect(buffers.held).toBe(1);
  // Its memory is gone with it (detached), and a later busy moment gets a new one.
  expect(spare.byteLength).toBe(0);
  const next = buffers.free((b) => b === first);
  expect(next).not.toBe(spare);
  expect(next?.byteLength).toBe(BYTES);
});
