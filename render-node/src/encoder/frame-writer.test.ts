import { expect, it } from 'vitest';
import { createFrameWriter, type FfmpegInput, type QueuedFrame } from './frame-writer.ts';

/** FFmpeg's pipes, where each write stays in flight until the test settles it. */
function fakeInput() {
  const inFlight: Array<{ what: string; settle: (ok: boolean) => void }> = [];
  const write = (kind: string) => (chunk: Uint8Array) => new Promise<boolean>((settle) => inFlight.push({ what: `${kind} ${chunk[0]}`, settle }));
  const input: FfmpegInput = { writeVideo: write('video'), writeAudio: write('audio') };
  /** Settles every write in flight and lets the writer take its next step. */
  const settleAll = async (ok = true) => {
    for (const w of inFlight.splice(0)) w.settle(ok);
    await turn();
  };
  return { input, inFlight, settleAll };
}

/** One turn of the event loop: the writer's pending reactions run (not a wait for time). */
const turn = () => new Promise((r) => setImmediate(r));

const frame = (n: number, t?: number): QueuedFrame => ({ rgba: Buffer.from([n]), pcm: Buffer.from([n]), ...(t !== undefined ? { t } : {}) });

it('writes one frame at a time, video with its audio, the next only once both are in', async () => {
  const { input, inFlight, settleAll } = fakeInput();
  const written: number[] = [];
  const writer = createFrameWriter(input, (f) => written.push(f.rgba[0]!));
  writer.enqueue([frame(1), frame(2)]);
  expect(inFlight.map((w) => w.what)).toEqual(['video 1', 'audio 1']);
  inFlight.shift()!.settle(true);
  await turn();
  expect(inFlight.map((w) => w.what)).toEqual(['audio 1']);
  await settleAll();
  expect(inFlight.map((w) => w.what)).toEqual(['video 2', 'audio 2']);
  await settleAll();
  expect(written).toEqual([1, 2]);
});

it('holds a batch queued behind the one being written, and says which buffers are still to be read', async () => {
  const { input, inFlight, settleAll } = fakeInput();
  const writer = createFrameWriter(input, () => {});
  const [a, b, c] = [frame(1), frame(2), frame(3)];
  writer.enqueue([a, b]);
  expect(writer.full).toBe(false);
  writer.enqueue([c]);
  expect(writer.full).toBe(true);
  expect(inFlight.map((w) => w.what)).toEqual(['video 1', 'audio 1']);
  expect([a, b, c].map((f) => writer.holds(f.rgba))).toEqual([true, true, true]);

  await settleAll();
  // Frame 1 is written: its buffer is free again, while 2 is in the pipe and 3 waits.
  expect([a, b, c].map((f) => writer.holds(f.rgba))).toEqual([false, true, true]);
  await settleAll();
  expect(writer.full).toBe(false);
  expect(inFlight.map((w) => w.what)).toEqual(['video 3', 'audio 3']);
  await settleAll();
  expect([a, b, c].map((f) => writer.holds(f.rgba))).toEqual([false, false, false]);
});

it('drops everything queued once a write fails (FFmpeg is gone) and never resends it', async () => {
  const { input, inFlight, settleAll } = fakeInput();
  const written: number[] = [];
  const writer = createFrameWriter(input, (f) => written.push(f.rgba[0]!));
  const queued = [frame(1), frame(2), frame(3)];
  writer.enqueue(queued.slice(0, 2));
  writer.enqueue(queued.slice(2));
  await settleAll(false);
  expect(inFlight).toEqual([]);
  expect(written).toEqual([]);
  expect(writer.full).toBe(false);
  expect(queued.some((f) => writer.holds(f.rgba))).toBe(false);
});

it('keeps writing when the observer throws', async () => {
  const { input, inFlight, settleAll } = fakeInput();
  const writer = createFrameWriter(input, () => {
    throw new Error('observer bug');
  });
  writer.enqueue([frame(1, 10), frame(2, 20)]);
  await settleAll();
  expect(inFlight.map((w) => w.what)).toEqual(['video 2', 'audio 2']);
});
