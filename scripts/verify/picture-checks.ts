/**
 * The picture at the receiver: a live decoder on the stream (the HUD strip of a fight, the bars of a plain poll),
 * and decoded frames whose HP bars must show exactly the HP the votes left (or, for a poll, bars that moved).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_HP } from '@stream-fighter/core';
import { BASE_W } from '@stream-fighter/render-node/src/scene/layout.ts';
import { lastLine, startDecoder, writePng, type DecodedFrame } from './ffmpeg.ts';
import { changedShare, expectedFill, hpBox, namesBox, readHpBar } from './hud.ts';
import { sleep } from './http.ts';
import { assert, type CheckReturn } from './report.ts';
import type { Check } from './run-checks.ts';
import { median, ms } from './stats.ts';
import { hpFills, steadyFrame } from './steady-frame.ts';
import { progress, type VerifyRun } from './verify-run.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export function receiverDecode(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'receiver: live decode',
    timeoutMs: 20_000,
    skip: () => (cfg.VERIFY_RTMP_PLAY_URL ? undefined : 'VERIFY_RTMP_PLAY_URL is off'),
    async run() {
      const url = cfg.VERIFY_RTMP_PLAY_URL!;
      const started = performance.now();
      const decoder = startDecoder(url, run.crop);
      run.decoder = decoder;
      const first = await decoder.waitFor(() => true, 15_000);
      assert(first, `no decoded frame from ${url} within 15 s${decoder.stderr ? `: ${lastLine(decoder.stderr)}` : ''}`);
      // The receiver's GOP cache hands a new player up to a keyframe interval of old frames at once: let the
      // decoder catch up with the live edge before anything is timed.
      await sleep(cfg.VERIFY_KEYFRAME_SEC * 1000 + 500);
      const f = decoder.frames.filter((x) => x.at > performance.now() - 1000).length;
      assert(f >= cfg.VERIFY_FPS * 0.7, `only ${f} frames decoded in the last second`);
      return `first frame ${ms(first.at - started)} after connecting, ${f} frames in the last second`;
    },
  };
}

export function barsShowVotes(run: VerifyRun): Check {
  return {
    name: 'frame: HP bars show the votes',
    title: () => (run.fight ? 'frame: HP bars show the votes' : 'frame: bars show the votes'),
    timeoutMs: 15_000,
    skip: () => (!run.decoder ? 'no stream to decode' : !run.round || run.votes.length === 0 || !run.hpBefore ? 'no votes were cast' : undefined),
    run: () => frameCheck(run),
  };
}

async function frameCheck(run: VerifyRun): Promise<CheckReturn> {
  const { cfg, votes, before, fight } = run;
  const dec = run.decoder!;
  const poll = run.round!.poll;
  const hpBefore = run.hpBefore!;
  assert(before, 'no frame decoded before the votes');
  // Wait out the last hit's animation (HP ease 350 ms, ghost drain 350 + 600 ms) on top of the pipeline delay.
  const last = votes.at(-1)!;
  await sleep(Math.max(0, last.acceptedAt + 2_000 - performance.now()));
  const ids = poll.round.matchup.options.map((o) => o.id);
  const outDir = resolve(ROOT, cfg.VERIFY_OUT_DIR);
  mkdirSync(outDir, { recursive: true });

  if (!fight) {
    const after = dec.frames.at(-1);
    assert(after && !dec.exited, `the decoder stopped: ${lastLine(dec.stderr)}`);
    await savePair(outDir, before, after);
    const { crop } = run;
    const share = changedShare(before, after, { x: 0, y: 0, w: crop.w, h: crop.h });
    assert(share >= 0.002, `the bars region did not change after ${votes.length} votes (${(share * 100).toFixed(2)}% of pixels changed)`);
    return `${(share * 100).toFixed(1)}% of the bars region changed after the votes; pictures in ${cfg.VERIFY_OUT_DIR}/`;
  }

  const hpAfter = last.hp;
  const after = await steadyFrame(dec, hpFills(cfg.width));
  assert(after && !dec.exited, `the decoder stopped: ${lastLine(dec.stderr)}`);
  await savePair(outDir, before, after);
  const tol = Math.max(3, Math.round((3 * cfg.width) / BASE_W));
  const sides = ([0, 1] as const).map((side) => {
    const id = ids[side]!;
    const box = hpBox(side, cfg.width);
    const b = readHpBar(before, box).fill;
    const a = readHpBar(after, box).fill;
    return { id, b, a, eb: expectedFill(hpBefore[id] ?? 0, MAX_HP, box), ea: expectedFill(hpAfter[id] ?? 0, MAX_HP, box) };
  });
  const text = sides.map((s) => `${s.id} ${s.b}→${s.a} px (HP ${hpBefore[s.id]}→${hpAfter[s.id]} ⇒ ${s.eb}→${s.ea})`).join(', ');
  const visible = sides.some((s) => Math.abs(s.ea - s.eb) >= tol);

  // Per vote: the first decoded frame whose target bar moved, timed from the API's answer.
  const lags: number[] = [];
  for (const v of votes) {
    const seen = await v.shown;
    if (seen) lags.push(seen.at - v.acceptedAt);
  }
  const timing = lags.length ? `; vote → first frame showing it p50 ${ms(median(lags))}, max ${ms(Math.max(...lags))} (${lags.length}/${votes.length})` : '';

  if (!visible) {
    // A big audience makes each hit smaller than a pixel: then at least the vote counts must have changed.
    const share = Math.max(changedShare(before, after, namesBox(0, cfg.width)), changedShare(before, after, namesBox(1, cfg.width)));
    assert(share >= 0.002, `hits too small to see (${text}) and the vote counts did not change either`);
    return { outcome: 'pass', detail: `hits below a pixel at audience ${poll.round.audience} (${text}); the vote counts changed (${(share * 100).toFixed(1)}% of the names region)${timing}` };
  }
  const wrong = sides.filter((s) => Math.abs(s.b - s.eb) > tol || Math.abs(s.a - s.ea) > tol);
  assert(wrong.length === 0, `HP bars do not match the room's HP (±${tol} px): ${text}`);
  return `${text}, all within ±${tol} px${timing}; pictures in ${cfg.VERIFY_OUT_DIR}/`;
}

async function savePair(dir: string, before: DecodedFrame, after: DecodedFrame): Promise<void> {
  await Promise.all([
    writePng(before.rgb, before.width, before.height, resolve(dir, 'before.png')),
    writePng(after.rgb, after.width, after.height, resolve(dir, 'after.png')),
  ]).catch((e: unknown) => progress(`could not save the pictures: ${String(e)}`));
}
