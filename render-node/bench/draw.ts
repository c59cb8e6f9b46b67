/**
 * The draw + readback workload of the render bench, on its own so it can be bundled and run as a child process
 * (render.ts):
 *
 *   node render-node/bench/draw.ts 720p|1080p [frames=300]     → one JSON line on stdout
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SceneModel } from '../src/scene/model.ts';
import { createRenderer, SIZES } from '../src/scene/renderer.ts';
import type { Lang } from '@stream-fighter/view/languages';
import type { ChatFeedEntry, OptionId, Snapshot } from '@stream-fighter/core';
import { showcaseFight } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, shout, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { bettingExtras } from './betting.ts';

export type BenchResult = { width: number; height: number; frames: number; medianMs: number; p95Ms: number; maxMs: number; rssMb: number };

const FPS = 30;

/**
 * A fight fed a snapshot every 100 ms with 3 votes, two for A to one for B (as core's liveFight), but in streaks
 * (0.8 s of A, 0.4 s of B), so the frames show everything the motion draws: shoves, combos and their counter,
 * specials' shakes and sparks, and about 8 s in, the KO's fall, slow motion and victory. A new chat voter joins
 * the feed every 400 ms, near the most the room admits (3 a second), each a name never seen before. The season pill
 * and the odds strip are up all along (betting.ts).
 */
function streakyFight(): { next(now: number): Snapshot } {
  let round = liveRound(showcaseFight(), T0);
  let seq = 1;
  let j = 0;
  let chatFeed: ChatFeedEntry[] = [];
  const betting = bettingExtras(T0);
  return {
    next(now) {
      const side: OptionId = j++ % 12 < 8 ? 'A' : 'B';
      round = castVotes(round, [side, side, side], now);
      if (j % 4 === 0) chatFeed = [...chatFeed, { name: `viewer_${j} 🔥`, option: side, at: now }].slice(-5);
      return snapshot(round, seq++, now, { shoutouts: [shout('ana_g', 'Vamos Tornado!! 🌪️', now - 1000)], chatFeed, ...betting(now) });
    },
  };
}

/** Renders `frames` frames (after `warmup` untimed ones) of a fight fed a snapshot with fresh hits every 100 ms (streakyFight). */
export async function benchDraw(o: { width: number; height: number; frames: number; warmup?: number; lang?: Lang }): Promise<BenchResult> {
  const model = new SceneModel();
  const renderer = createRenderer({ width: o.width, height: o.height, lang: o.lang ?? 'en', screen: 'fight', voteUrl: 'https://vote.streamfighter.tv/' });
  const fight = streakyFight();
  const warmup = o.warmup ?? 30;
  const times: number[] = [];
  for (let i = 0; i < warmup + o.frames; i++) {
    const t = T0 + (i * 1000) / FPS;
    if (i % 3 === 0) model.applySnapshot(fight.next(t), t);
    const view = model.advanceTo(t);
    const start = performance.now();
    renderer.render(view, t);
    const ms = performance.now() - start;
    if (i >= warmup) times.push(ms);
    // The frame buffers are freed by finalizers Node runs on the event loop: a loop that never yields keeps every
    // frame alive (gigabytes within seconds). The real stream loop yields on every FFmpeg write.
    await yieldToLoop();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { width: o.width, height: o.height, frames: o.frames, medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1), rssMb: process.memoryUsage().rss / 2 ** 20 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const res = (process.argv[2] ?? '720p') as keyof typeof SIZES;
  if (!(res in SIZES)) throw new Error(`resolution must be 720p or 1080p, got ${res}`);
  const r = await benchDraw({ ...SIZES[res], frames: Number(process.argv[3] ?? 300) });
  process.stdout.write(JSON.stringify(r) + '\n');
}
