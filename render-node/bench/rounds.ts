/**
 * `npm run bench:rounds`: hours of the stream's drawing in minutes, to see whether the render node's memory
 * levels off. A one-hour `npm run soak` is the real check; this one shows memory that grows with each new round
 * (caches of sprites, backgrounds, words) in a few minutes, because it draws rounds as fast as the machine can.
 *
 *   node render-node/bench/rounds.ts [rounds=40] [720p|1080p]
 *
 * It bundles rounds-draw.ts and runs it with production's Node flags and environment (build.ts), then prints RSS
 * after each round and, against the soak's target, the spread of RSS after the first five minutes of stream.
 */
import { execa } from 'execa';
import { NODE_ENV, NODE_FLAGS, buildBundles } from '../build.ts';
import type { RoundsResult } from './rounds-draw.ts';

const WARMUP_STREAM_SEC = 300;
/** The soak's target: after the warm-up, RSS stays within this share. */
const SPREAD_TARGET = 0.05;

const rounds = Number(process.argv[2] ?? 40);
const res = process.argv[3] ?? '720p';
const [drawJs] = await buildBundles([{ in: 'bench/rounds-draw.ts', out: 'bench/rounds-draw' }]);
const r = await execa(process.execPath, [...NODE_FLAGS, drawJs!, String(rounds), res], { reject: false, stderr: 'inherit', env: NODE_ENV });
if (r.exitCode !== 0) throw new Error(`rounds-draw exited with ${r.exitCode}`);
const out = JSON.parse(String(r.stdout).trim().split('\n').at(-1)!) as RoundsResult;

const after = out.mb.filter((m) => m.streamSec >= WARMUP_STREAM_SEC);
if (after.length === 0) throw new Error(`no round ended after ${WARMUP_STREAM_SEC} s of stream: draw more rounds`);
const rss = after.map((m) => m.rss);
const [lo, hi] = [Math.min(...rss), Math.max(...rss)];
const spread = (hi - lo) / lo;
const hours = (out.mb.at(-1)!.streamSec / 3600).toFixed(1);
console.log(`\n${res}, ${out.rounds} rounds (${hours} h of stream, ${out.frames} frames)`);
console.log(`RSS after the first ${WARMUP_STREAM_SEC / 60} min of stream: ${lo}–${hi} MB, spread ${(spread * 100).toFixed(1)} % (target ≤ ${SPREAD_TARGET * 100} %): ${spread <= SPREAD_TARGET ? 'PASS' : 'FAIL'}`);
console.log(`V8 heap: ${Math.min(...after.map((m) => m.heap))}–${Math.max(...after.map((m) => m.heap))} MB; external: ${Math.min(...after.map((m) => m.external))}–${Math.max(...after.map((m) => m.external))} MB`);
