/** A decoded picture taken when nothing on it is moving, so a reading of it is the state and not an animation. */
import { performance } from 'node:perf_hooks';
import type { DecodedFrame, LiveDecoder } from './ffmpeg.ts';
import { hpBox, readHpBar } from './hud.ts';
import { sleep } from './http.ts';

/** A decoded frame once the given readings hold still for 300 ms (no animation under way), or the latest after 3 s. */
export async function steadyFrame(dec: LiveDecoder, read: (f: DecodedFrame) => number[]): Promise<DecodedFrame | null> {
  const until = performance.now() + 3_000;
  while (performance.now() < until) {
    const now = performance.now();
    const recent = dec.frames.filter((f) => f.at > now - 300);
    if (recent.length >= 5) {
      const rs = recent.map(read);
      const steady = rs.every((r) => r.every((x, i) => Math.abs(x - rs[0]![i]!) <= 1));
      if (steady) return recent.at(-1)!;
    }
    await sleep(100);
  }
  return dec.frames.at(-1) ?? null;
}

/** Both HP bars' fill, the readings a fight's steady frame is judged by. */
export const hpFills = (width: number) => (f: DecodedFrame) => [readHpBar(f, hpBox(0, width)).fill, readHpBar(f, hpBox(1, width)).fill];
