/**
 * The workload of `npm run bench:rounds` (rounds.ts), on its own so it can be bundled and run as production runs:
 * round after round of generated matchups (new fighters, a new stage, a poll every fourth round), each played through
 * intro, live fight with votes, finish and results cards, drawn as fast as the machine allows, with the process's
 * RSS, V8 heap and external memory after every round.
 *
 *   node render-node/bench/rounds-draw.ts [rounds=40] [720p|1080p] [fps=30]  → progress on stderr, one JSON line on stdout
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { generateMatchup, reduce, startRound, PROTOCOL_VERSION } from '@stream-fighter/core';
import type { Matchup, OptionId, RoundResult, RoundState, Snapshot } from '@stream-fighter/core';
import { SceneModel } from '../src/scene/model.ts';
import { createRenderer, SIZES } from '../src/scene/renderer.ts';

export type RoundsResult = { rounds: number; frames: number; mb: Array<{ round: number; streamSec: number; rss: number; heap: number; external: number }> };

const T0 = 1_800_000_000_000;
const SNAPSHOT_MS = 100;

function matchupFor(k: number): Matchup {
  return generateMatchup(`bench-rounds-${k}`, { options: k % 4 === 3 ? 3 : 2, durationSec: 30 });
}

export async function benchRounds(o: { width: number; height: number; rounds: number; fps: number }): Promise<RoundsResult> {
  const model = new SceneModel();
  const renderer = createRenderer({ width: o.width, height: o.height, lang: 'en', screen: 'fight', voteUrl: 'https://vote.streamfighter.tv/' });
  const mb = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
  const out: RoundsResult = { rounds: o.rounds, frames: 0, mb: [] };
  let t = T0;
  let seq = 1;
  let previous: RoundResult | null = null;
  for (let k = 0; k < o.rounds; k++) {
    let round: RoundState = startRound({ pollId: `poll-${k}`, matchup: matchupFor(k), now: t, audience: 200 });
    const upNext = matchupFor(k + 1);
    let nextSnapshot = t;
    let over = false;
    let j = 0;
    while (!over) {
      if (t >= nextSnapshot) {
        nextSnapshot += SNAPSHOT_MS;
        const votes: Array<{ option: OptionId }> = round.phase === 'live' ? [{ option: j++ % 5 < 3 ? 'A' : 'B' }] : [];
        const r = reduce(round, votes.length ? { type: 'votes', votes } : { type: 'tick' }, t);
        round = r.state;
        for (const e of r.effects) {
          if (e.type === 'archive') previous = e.result;
          if (e.type === 'next') over = true;
        }
        const snap: Snapshot = { type: 'snapshot', v: PROTOCOL_VERSION, seq: seq++, room: 'main', now: t, round, previous, upNext, shoutouts: [] };
        model.applySnapshot(snap, t);
      }
      renderer.render(model.advanceTo(t), t);
      out.frames++;
      t += 1000 / o.fps;
      // Frame buffers are freed by finalizers that run on the event loop (see draw.ts).
      await yieldToLoop();
    }
    const m = process.memoryUsage();
    const row = { round: k + 1, streamSec: Math.round((t - T0) / 1000), rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external) };
    out.mb.push(row);
    process.stderr.write(`[rounds] ${row.round}/${o.rounds} (${row.streamSec} s of stream): rss ${row.rss} MB, heap ${row.heap} MB, external ${row.external} MB\n`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv[2] ?? 40);
  const res = (process.argv[3] ?? '720p') as keyof typeof SIZES;
  if (!(res in SIZES) || !(rounds > 0)) throw new Error('usage: rounds-draw.ts [rounds>0] [720p|1080p] [fps]');
  const r = await benchRounds({ ...SIZES[res], rounds, fps: Number(process.argv[4] ?? 30) });
  process.stdout.write(JSON.stringify(r) + '\n');
}
