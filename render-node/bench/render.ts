/**
 * Draw + readback cost per frame of a live fight with hits (10 Hz snapshots, 30 fps), at 720p and 1080p.
 * Run: node render-node/bench/render.ts [frames]
 * `benchDraw` is exported so the encoder bench can reuse the same workload.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SceneModel } from '../src/scene/model.ts';
import { createRenderer } from '../src/scene/renderer.ts';
import type { Lang } from '../src/scene/i18n.ts';
import { T0, liveFight } from '../src/scene/fixtures.ts';

export type BenchResult = { width: number; height: number; frames: number; medianMs: number; p95Ms: number; maxMs: number; rssMb: number };

const FPS = 30;

/**
 * Renders `frames` frames (after `warmup` untimed ones) of a fight fed a snapshot with fresh hits every 100 ms.
 * `onFrame` gets each RGBA frame (the encoder bench pipes it to FFmpeg); its time is not counted.
 */
export async function benchDraw(o: { width: number; height: number; frames: number; warmup?: number; lang?: Lang; onFrame?: (rgba: Buffer, i: number) => void | Promise<void> }): Promise<BenchResult> {
  const model = new SceneModel();
  const renderer = createRenderer({ width: o.width, height: o.height, lang: o.lang ?? 'en', screen: 'fight', voteUrl: 'https://vote.streamfighter.tv/' });
  const fight = liveFight({ votesPerSnapshot: 3 });
  const warmup = o.warmup ?? 30;
  const times: number[] = [];
  for (let i = 0; i < warmup + o.frames; i++) {
    const t = T0 + (i * 1000) / FPS;
    if (i % 3 === 0) model.applySnapshot(fight.next(t), t);
    const view = model.view(t);
    const start = performance.now();
    const rgba = renderer.render(view, t);
    const ms = performance.now() - start;
    if (i >= warmup) times.push(ms);
    if (o.onFrame) await o.onFrame(rgba, i);
    // The frame buffers are freed by finalizers Node runs on the event loop: a loop that never yields keeps every
    // frame alive (gigabytes within seconds). The real stream loop yields on every FFmpeg write.
    await yieldToLoop();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { width: o.width, height: o.height, frames: o.frames, medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1), rssMb: process.memoryUsage().rss / 2 ** 20 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const frames = Number(process.argv[2] ?? 300);
  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
    const r = await benchDraw({ width, height, frames });
    console.log(`${width}x${height}: draw+readback median ${r.medianMs.toFixed(2)} ms, p95 ${r.p95Ms.toFixed(2)} ms, max ${r.maxMs.toFixed(2)} ms over ${r.frames} frames; RSS ${r.rssMb.toFixed(0)} MB`);
  }
}
