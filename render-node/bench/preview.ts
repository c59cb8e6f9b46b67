/**
 * Writes preview PNGs of the main scenes to render-node/test-output/ (for looking at, not for tests).
 * Run: node render-node/bench/preview.ts [en|es]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASE_MS } from '@stream-fighter/core';
import { SceneModel } from '../src/scene/model.ts';
import { createRenderer } from '../src/scene/renderer.ts';
import type { Lang } from '@stream-fighter/view/languages';
import { showcaseFight, showcasePoll } from '@stream-fighter/core/fixtures/matchups';
import { T0, castVotes, liveRound, shout, snapshot } from '@stream-fighter/core/fixtures/rounds';
import { reduce } from '@stream-fighter/core';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
mkdirSync(out, { recursive: true });
const lang = (process.argv[2] ?? 'en') as Lang;
const voteUrl = 'https://vote.streamfighter.tv/';

async function shot(name: string, width: number, build: (m: SceneModel) => number, screen: 'fight' | 'bars' = 'fight'): Promise<void> {
  const m = new SceneModel();
  const t = build(m);
  const r = createRenderer({ width, height: (width * 9) / 16, lang, screen, voteUrl });
  r.render(m.advanceTo(t), t);
  writeFileSync(join(out, `${name}-${lang}.png`), await r.png());
}

const shouts = [shout('ana_g', 'Vamos Tornado!! 🌪️ desde Monterrey', T0 - 2000)];

await shot('fight', 1280, (m) => {
  let round = liveRound(showcaseFight(), T0);
  m.applySnapshot(snapshot(round, 1, T0, { shoutouts: shouts }), T0);
  round = castVotes(round, Array(60).fill('A').concat(Array(25).fill('B')), T0 + 50);
  m.applySnapshot(snapshot(round, 2, T0 + 100, { shoutouts: shouts }), T0 + 100);
  m.advanceTo(T0 + 900);
  round = castVotes(round, ['A'], T0 + 950);
  m.applySnapshot(snapshot(round, 3, T0 + 1000, { shoutouts: shouts }), T0 + 1000);
  m.advanceTo(T0 + 1000);
  return T0 + 1080;
});

await shot('ko', 1920, (m) => {
  let round = liveRound(showcaseFight('volcano'), T0);
  m.applySnapshot(snapshot(round, 1, T0), T0);
  for (let i = 0; i < 40 && round.phase === 'live'; i++) round = castVotes(round, Array(40).fill('B'), T0 + i);
  m.applySnapshot(snapshot(round, 2, T0 + 100), T0 + 100);
  m.advanceTo(T0 + 100);
  return T0 + 900;
});

await shot('results', 1280, (m) => {
  let round = liveRound(showcaseFight('dojo'), T0);
  m.applySnapshot(snapshot(round, 1, T0), T0);
  round = castVotes(round, Array(70).fill('A').concat(Array(40).fill('B')), T0 + 10);
  round = reduce(round, { type: 'tick' }, round.endsAt + PHASE_MS.finish + 1000).state;
  const next = { ...showcaseFight('space'), options: showcaseFight().options.map((o, i) => ({ ...o, fighter: { ...o.fighter, name: i ? 'Unit X-9' : 'Silent Kage' } })) };
  m.applySnapshot(snapshot(round, 2, round.phaseAt + 1000, { upNext: next }), T0 + 200);
  return T0 + 1500;
});

await shot('bars', 1280, (m) => {
  let round = liveRound(showcasePoll(4), T0);
  round = castVotes(round, [...Array(40).fill('A'), ...Array(25).fill('B'), ...Array(12).fill('C'), ...Array(31).fill('D')], T0 + 10);
  m.applySnapshot(snapshot(round, 1, T0 + 20, { shoutouts: shouts }), T0);
  m.setConnection('reconnecting');
  return T0 + 1000;
});

await shot('connecting', 1280, () => T0);
console.log(`wrote previews to ${out}`);
