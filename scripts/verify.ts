/**
 * `npm run verify`: checks a running Stream Fighter end to end and prints one line per check (✔ / ✘ / –), then
 * exits non-zero if anything failed. The local stack by default (`npm start`); a deployment through VERIFY_* (see
 * scripts/verify/config.ts). Every step has a time limit and the whole run has a deadline: it never hangs.
 *
 * What it looks at: the health endpoints (edge, render node), votes from distinct voters and their tally over the
 * room's WebSocket, the stream at the RTMP receiver with FFprobe (codec, size, frame rate, keyframes, audio), and
 * decoded frames whose HP bars must show exactly the HP the votes left.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_HP, isFight, type OptionId, type PollResponse } from '@stream-fighter/core';
import { BASE_W, LAYOUT, toPixels } from '../render-node/src/scene/layout.ts';
import { loadRootEnv, readVerifyConfig, type VerifyConfig } from './verify/config.ts';
import { ffprobeJson, lastLine, startDecoder, stopAll, writePng, type DecodedFrame, type LiveDecoder } from './verify/ffmpeg.ts';
import { changedShare, expectedFill, hpBox, hudCrop, namesBox, readHpBar } from './verify/hud.ts';
import { ALTCHA_FIELD, altchaPayload } from './local/solve-challenge.ts';
import { postJson, request, requestBytes, sleep } from './verify/http.ts';
import { parsePrometheus } from './verify/metrics.ts';
import { Report, assert, type CheckReturn } from './verify/report.ts';
import { getPoll, waitForVotableRound, type LiveRound } from './verify/rounds.ts';
import { watchRoom, type RoomViewer } from './verify/room.ts';
import { streamFacts, type StreamFacts } from './verify/stream-probe.ts';
import { median, ms } from './verify/stats.ts';
import type { Crop } from './verify/args.ts';

const PROBE_SEC = 6.5;
const ROOT = resolve(import.meta.dirname, '..');
/** The render node's longest room reconnection backoff (15 s) and some slack. */
const ROOM_CONNECT_WAIT_MS = 20_000;

interface CastVote {
  i: number;
  option: OptionId;
  sentAt: number;
  acceptedAt: number;
  apiMs: number;
  pollId: string;
  seq: number;
  tally: Partial<Record<OptionId, number>>;
  hp: Partial<Record<OptionId, number>>;
  voterToken: string;
  /** Decoded frames seen before this vote was sent. */
  framesBefore: number;
  /** The first decoded frame whose target bar moved (fights), watched from the moment the vote went out. */
  shown: Promise<DecodedFrame | null> | null;
}

const err = (s: string) => process.stderr.write(`  … ${s}\n`);

async function main(): Promise<number> {
  loadRootEnv();
  const cfg = readVerifyConfig();
  const t0 = performance.now();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const report = new Report(out);
  out(`Stream Fighter verify — ${new Date().toISOString()}`);
  out(`  API ${cfg.VERIFY_API_URL} · room ${cfg.VERIFY_ROOM} · render node ${cfg.VERIFY_RENDER_URL ?? 'off'} · stream ${cfg.VERIFY_RTMP_PLAY_URL ?? 'off'}`);
  out(`  expecting ${cfg.width}x${cfg.height} @ ${cfg.VERIFY_FPS} fps, keyframe every ${cfg.VERIFY_KEYFRAME_SEC} s; operator token: ${cfg.operatorTokenSource ?? 'none (operator checks skipped)'}`);
  out('');

  let viewer: RoomViewer | null = null;
  let decoder: LiveDecoder | null = null;
  const finish = (code: number) => {
    viewer?.close();
    decoder?.stop();
    stopAll();
    const pass = report.results.filter((r) => r.outcome === 'pass').length;
    const skip = report.results.filter((r) => r.outcome === 'skip').length;
    out('');
    for (const n of report.notes) out(`  note: ${n}`);
    out(`${report.failed === 0 && code === 0 ? 'PASS' : 'FAIL'}: ${pass} passed, ${report.failed} failed, ${skip} skipped in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return report.failed === 0 ? code : 1;
  };
  // The deadline: whatever is still waiting, print what we have and fail.
  const deadline = setTimeout(() => {
    out(`✘ ${'deadline'.padEnd(33)} the run passed VERIFY_DEADLINE_SEC=${cfg.VERIFY_DEADLINE_SEC} s; stopping`);
    process.exit(finish(1));
  }, cfg.VERIFY_DEADLINE_SEC * 1000);
  deadline.unref();

  await healthChecks(report, cfg);

  // The stream probe reads its own ~6 s of stream while the votes go on.
  const probe: Promise<StreamFacts> | null = cfg.VERIFY_RTMP_PLAY_URL
    ? ffprobeJson(cfg.VERIFY_RTMP_PLAY_URL, PROBE_SEC, cfg.VERIFY_FPS, 30_000).then(streamFacts)
    : null;
  probe?.catch(() => {}); // awaited below; never an unhandled rejection meanwhile

  viewer = watchRoom(cfg.VERIFY_API_URL, cfg.VERIFY_ROOM);

  let live: LiveRound | null = null;
  await report.check('round live', (cfg.VERIFY_ROUND_WAIT_SEC + 10) * 1000, async () => {
    live = await waitForVotableRound(cfg.VERIFY_API_URL, cfg.VERIFY_VOTES, {
      timeoutMs: cfg.VERIFY_ROUND_WAIT_SEC * 1000,
      minLeftMs: 20_000,
      operatorToken: cfg.VERIFY_OPERATOR_TOKEN,
      progress: err,
    });
    const r = live.poll.round;
    return `"${r.matchup.title}" (${r.matchup.options.length} options${isFight(r.matchup) ? ', fight' : ', plain poll'}), ${Math.round(live.poll.timeLeftMs / 1000)} s left, audience ${r.audience}${live.waitedMs > 500 ? `; waited ${(live.waitedMs / 1000).toFixed(1)} s` : ''}${live.rotated ? '; rotated a round that could not take the votes' : ''}`;
  });
  const round = live as LiveRound | null;

  await report.check('websocket viewer', 8_000, async () => {
    const first = await viewer!.waitFor(() => true, 7_000);
    assert(first, `no snapshot on /parties/arena/${cfg.VERIFY_ROOM} within 7 s${viewer!.invalid.length ? ` (invalid: ${viewer!.invalid[0]})` : ''}`);
    assert(viewer!.welcomed, 'snapshots came without a welcome');
    return `welcome + snapshot seq ${first.snapshot.seq} (${first.snapshot.round.phase})`;
  });

  // The decoder on the receiver: the HUD strip for a fight, the bars for a plain poll.
  const fight = round ? isFight(round.poll.round.matchup) : true;
  const crop: Crop = fight ? hudCrop(cfg.width, cfg.height) : evenBox(toPixels(LAYOUT.bars, cfg.width));
  if (cfg.VERIFY_RTMP_PLAY_URL) {
    const url = cfg.VERIFY_RTMP_PLAY_URL;
    await report.check('receiver: live decode', 20_000, async () => {
      const started = performance.now();
      decoder = startDecoder(url, crop);
      const first = await decoder.waitFor(() => true, 15_000);
      assert(first, `no decoded frame from ${url} within 15 s${decoder.stderr ? `: ${lastLine(decoder.stderr)}` : ''}`);
      // The receiver's GOP cache hands a new player up to a keyframe interval of old frames at once: let the
      // decoder catch up with the live edge before anything is timed.
      await sleep(cfg.VERIFY_KEYFRAME_SEC * 1000 + 500);
      const f = decoder.frames.filter((x) => x.at > performance.now() - 1000).length;
      assert(f >= cfg.VERIFY_FPS * 0.7, `only ${f} frames decoded in the last second`);
      return `first frame ${ms(first.at - started)} after connecting, ${f} frames in the last second`;
    });
  } else report.skip('receiver: live decode', 'VERIFY_RTMP_PLAY_URL is off');

  // Votes: one new voter each (no cookie, no token), spaced so each hit is on screen on its own.
  const votes: CastVote[] = [];
  let hpBefore: Partial<Record<OptionId, number>> | null = null;
  let before: DecodedFrame | null = null;
  if (round) {
    const r0 = round.poll.round;
    const dec = decoder as LiveDecoder | null;
    if (dec && !dec.exited && fight) before = await steadyFrame(dec, (f) => [readHpBar(f, hpBox(0, cfg.width)).fill, readHpBar(f, hpBox(1, cfg.width)).fill]);
    else if (dec && !dec.exited) before = dec.frames.at(-1) ?? null;
    const snapBefore = await getPoll(cfg.VERIFY_API_URL).catch(() => round.poll);
    hpBefore = snapBefore.round.pollId === r0.pollId ? snapBefore.round.hp : r0.hp;
    await report.check(`votes: ${round.plan.length} new voters`, 30_000, async () => {
      // Each new voter solves its proof-of-work challenge first, as the vote page does; not part of the timings.
      const solving = performance.now();
      const proofs = await Promise.all(round.plan.map(() => altchaPayload(cfg.VERIFY_API_URL)));
      const solveMs = performance.now() - solving;
      for (const [i, option] of round.plan.entries()) {
        const target: 0 | 1 = option === 'A' ? 1 : 0;
        const cur = dec?.frames.at(-1);
        const fillBefore = fight && cur ? readHpBar(cur, hpBox(target, cfg.width)).fill : null;
        const framesBefore = dec?.count ?? 0;
        const sentAt = performance.now();
        const res = await postJson(`${cfg.VERIFY_API_URL}/api/vote`, { option, pollId: r0.pollId, [ALTCHA_FIELD]: proofs[i] }, {}, 8_000);
        const acceptedAt = performance.now();
        const b = res.body as { type?: string; seq?: number; tally?: Record<string, number>; hp?: Record<string, number>; voterToken?: string; vote?: { pollId: string } };
        assert(res.status === 200 && b.type === 'vote-accepted', `vote ${i + 1} (${option}): ${res.status} ${res.text.slice(0, 200)}`);
        assert(typeof b.voterToken === 'string', `vote ${i + 1}: no voterToken issued to a new voter`);
        // Watched live: the decoder keeps only the last few seconds of frames.
        const box = hpBox(target, cfg.width);
        const shown = dec && fillBefore !== null ? dec.waitFor((f) => Math.abs(readHpBar(f, box).fill - fillBefore) >= 2, 5_000, framesBefore) : null;
        votes.push({ i, option, sentAt, acceptedAt, apiMs: acceptedAt - sentAt, pollId: b.vote!.pollId, seq: b.seq!, tally: b.tally!, hp: b.hp!, voterToken: b.voterToken, framesBefore, shown });
        if (i < round.plan.length - 1) await sleep(dec ? 1_200 : 250);
      }
      const distinct = new Set(votes.map((v) => v.voterToken)).size;
      assert(distinct === votes.length, `${votes.length} votes but only ${distinct} distinct voter tokens`);
      const api = votes.map((v) => v.apiMs);
      return `${votes.length} accepted, ${distinct} distinct voters (${votes.map((v) => v.option).join(' ')}); API p50 ${ms(median(api))}, max ${ms(Math.max(...api))}; ${proofs.length} challenges solved in ${ms(solveMs)} beforehand`;
    });

    if (votes.length > 0) {
      await report.check('votes: same voter again refused', 10_000, async () => {
        const v = votes[0]!;
        const res = await postJson(`${cfg.VERIFY_API_URL}/api/vote`, { option: v.option }, { 'x-voter-token': v.voterToken }, 8_000);
        const code = (res.body as { error?: { code?: string } }).error?.code;
        assert(res.status === 409 && code === 'already-voted', `expected 409 already-voted, got ${res.status} ${res.text.slice(0, 160)}`);
        return '409 already-voted';
      });

      await report.check('websocket: tallies arrive', cfg.VERIFY_WS_BOUND_MS + 5_000, async () => {
        const lags: number[] = [];
        for (const v of votes) {
          const got = await viewer!.waitFor(
            (s) => s.round.pollId === v.pollId && s.seq >= v.seq && (s.round.votes[v.option] ?? 0) >= (v.tally[v.option] ?? 0),
            Math.max(0, v.acceptedAt + cfg.VERIFY_WS_BOUND_MS + 1_000 - performance.now()),
            v.sentAt,
          );
          assert(got, `vote ${v.i + 1} (${v.option}, seq ${v.seq}): no snapshot with its tally within ${cfg.VERIFY_WS_BOUND_MS + 1_000} ms`);
          lags.push(got.at - v.acceptedAt);
        }
        const worst = Math.max(...lags);
        assert(worst <= cfg.VERIFY_WS_BOUND_MS, `slowest tally ${ms(worst)} after its vote was accepted (bound ${cfg.VERIFY_WS_BOUND_MS} ms)`);
        return `${lags.length}/${votes.length} tallies over the WebSocket; after the API's answer p50 ${ms(median(lags))}, max ${ms(worst)} (bound ${cfg.VERIFY_WS_BOUND_MS} ms)`;
      });
    }
  } else {
    for (const n of ['votes: new voters', 'votes: same voter again refused', 'websocket: tallies arrive']) report.skip(n, 'no live round');
  }

  await streamChecks(report, cfg, probe);

  const dec = decoder as LiveDecoder | null;
  if (!dec) report.skip('frame: HP bars show the votes', 'no stream to decode');
  else if (!round || votes.length === 0 || !hpBefore) report.skip('frame: HP bars show the votes', 'no votes were cast');
  else {
    const hp0 = hpBefore;
    const b0 = before;
    await report.check(fight ? 'frame: HP bars show the votes' : 'frame: bars show the votes', 15_000, () =>
      frameCheck(cfg, dec, round.poll, votes, hp0, b0, fight, crop),
    );
  }

  clearTimeout(deadline);
  return finish(0);
}

/* ---------------- health ---------------- */

async function healthChecks(report: Report, cfg: VerifyConfig): Promise<void> {
  await report.check('edge /api/health', 10_000, async () => {
    const r = await request(`${cfg.VERIFY_API_URL}/api/health`, { timeoutMs: 8_000 });
    const b = r.body as Record<string, { ok?: boolean; ms?: number; error?: string } | boolean | string>;
    const parts = (['room', 'redis', 'postgres'] as const).map((k) => {
      const p = b[k] as { ok?: boolean; ms?: number; error?: string } | undefined;
      return { k, ok: p?.ok === true, text: p?.ok ? `${k} ok ${p.ms ?? '?'} ms` : `${k} FAILED${p?.error ? `: ${p.error}` : ''}` };
    });
    assert(r.status === 200 && b.ok === true && parts.every((p) => p.ok), `${r.status}: ${parts.map((p) => p.text).join(', ')}`);
    return parts.map((p) => p.text).join(', ');
  });

  await report.check('edge /api/poll', 10_000, async () => {
    const p = await getPoll(cfg.VERIFY_API_URL);
    return `schema ok; "${p.round.matchup.title}" ${p.round.phase}, seq ${p.seq}, votes ${JSON.stringify(p.round.votes)}`;
  });

  if (!cfg.VERIFY_RENDER_URL) {
    for (const n of ['render /health', 'render /metrics', 'render /snapshot.png']) report.skip(n, 'VERIFY_RENDER_URL is off');
  } else {
    const base = cfg.VERIFY_RENDER_URL;
    // A render node that started before its edge, or lost it, retries the room with a backoff of up to 15 s
    // (render-node/src/service/room-client.ts); a deployment check gives it that long to be back.
    await report.check('render /health', ROOM_CONNECT_WAIT_MS + 10_000, async () => {
      const start = performance.now();
      for (;;) {
        const r = await request(`${base}/health`, { timeoutMs: 8_000 });
        const b = r.body as { ok?: boolean; room?: { connected?: boolean; lagSeconds?: number | null }; streams?: Array<{ state?: string; fps?: number; streamKey?: string; screenId?: string }>; eventLoopDelayMaxMs?: number };
        assert(r.status === 200 && b.ok === true, `${r.status} ${r.text.slice(0, 200)}`);
        const waited = performance.now() - start;
        if (b.room?.connected !== true && waited < ROOM_CONNECT_WAIT_MS) {
          await sleep(250);
          continue;
        }
        assert(b.room?.connected === true, `the render node is not connected to the room after ${ms(waited)}: ${JSON.stringify(b.room)}`);
        const streams = b.streams ?? [];
        const live = streams.filter((s) => s.state === 'live');
        assert(live.length > 0, `no live stream: ${JSON.stringify(streams).slice(0, 200)}`);
        const after = waited >= 250 ? ` after ${ms(waited)}` : '';
        return `room connected${after} (lag ${b.room.lagSeconds ?? '?'} s), ${live.length}/${streams.length} streams live (${live.map((s) => `${s.fps ?? '?'} fps`).join(', ')}), event loop max ${b.eventLoopDelayMaxMs ?? '?'} ms`;
      }
    });
    await report.check('render /metrics', 10_000, async () => {
      const r = await request(`${base}/metrics`, { timeoutMs: 8_000 });
      assert(r.status === 200, `${r.status}`);
      const samples = parsePrometheus(r.text);
      const need = ['sf_render_streams', 'sf_render_room_connected', 'sf_render_stream_fps', 'sf_render_stream_state', 'process_resident_memory_bytes'];
      const missing = need.filter((n) => !samples.some((s) => s.name === n));
      assert(missing.length === 0, `missing ${missing.join(', ')}`);
      const connected = samples.find((s) => s.name === 'sf_render_room_connected')!.value;
      const fps = samples.filter((s) => s.name === 'sf_render_stream_fps').map((s) => s.value);
      assert(connected === 1, `sf_render_room_connected ${connected}`);
      assert(fps.some((f) => f >= cfg.VERIFY_FPS * 0.9), `no stream at ≥ 90% of ${cfg.VERIFY_FPS} fps: ${fps.join(', ')}`);
      const rss = samples.find((s) => s.name === 'process_resident_memory_bytes')!.value;
      return `${samples.length} samples parse; room connected, stream fps ${fps.map((f) => f.toFixed(1)).join(', ')}, rss ${Math.round(rss / 2 ** 20)} MiB`;
    });
    await report.check('render /snapshot.png', 10_000, async () => {
      const r = await requestBytes(`${base}/snapshot.png`, 8_000);
      assert(r.status === 200, `${r.status}`);
      assert(r.type.startsWith('image/png'), `content-type ${r.type}`);
      assert(r.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG');
      const w = r.bytes.readUInt32BE(16);
      const h = r.bytes.readUInt32BE(20);
      assert(w === cfg.width && h === cfg.height, `${w}x${h}, expected ${cfg.width}x${cfg.height}`);
      return `PNG ${w}x${h}, ${Math.round(r.bytes.length / 1024)} KiB`;
    });
  }

  if (!cfg.VERIFY_OPERATOR_TOKEN || !cfg.streamKey) {
    report.skip('edge: stream reported live', cfg.VERIFY_OPERATOR_TOKEN ? 'no stream key in the play URL' : 'no operator token');
  } else {
    const key = cfg.streamKey;
    await report.check('edge: stream reported live', 10_000, async () => {
      const r = await request(`${cfg.VERIFY_API_URL}/api/stream`, { headers: { authorization: `Bearer ${cfg.VERIFY_OPERATOR_TOKEN}` }, timeoutMs: 8_000 });
      assert(r.status === 200, `GET /api/stream: ${r.status} ${r.text.slice(0, 160)}`);
      const streams = (r.body as { streams?: Array<{ streamKey: string; status: { state: string; fps: number; renderer: string; reportedAt: number } | null }> }).streams ?? [];
      const s = streams.find((x) => x.streamKey === key);
      // A static stream (STATIC_STREAMS) runs without being desired at the edge; then the render node's /health said enough.
      if (!s) return { outcome: 'skip', detail: `"${key}" is not a stream the room manages (a render node STATIC_STREAMS entry?); ${streams.length} managed` };
      assert(s.status?.state === 'live', `"${key}": ${JSON.stringify(s.status)}`);
      return `"${key}" live at ${s.status.fps} fps, reported ${Math.round((Date.now() - s.status.reportedAt) / 1000)} s ago by ${s.status.renderer}`;
    });
  }
}

/* ---------------- the stream ---------------- */

async function streamChecks(report: Report, cfg: VerifyConfig, probe: Promise<StreamFacts> | null): Promise<void> {
  const names = ['stream: video h264 + size', 'stream: frame rate', 'stream: keyframe interval', 'stream: audio aac'];
  if (!probe) {
    for (const n of names) report.skip(n, 'VERIFY_RTMP_PLAY_URL is off');
    return;
  }
  let facts: StreamFacts | null = null;
  await report.check(names[0]!, 40_000, async () => {
    facts = await probe;
    const v = facts.video;
    assert(v, `no video stream (${facts.videoFrames} video frames read)`);
    assert(v.codec === 'h264', `codec ${v.codec}`);
    assert(v.width === cfg.width && v.height === cfg.height, `${v.width}x${v.height}, expected ${cfg.width}x${cfg.height}`);
    return `h264 ${v.profile ?? ''} ${v.width}x${v.height}; ${facts.videoFrames} frames over ${facts.spanSec.toFixed(2)} s of stream`;
  });
  const f = facts as StreamFacts | null;
  if (!f) {
    for (const n of names.slice(1)) report.skip(n, 'no probe result');
    return;
  }
  await report.check(names[1]!, 1_000, async () => {
    const fps = f.measuredFps;
    assert(fps !== null, 'too few frames to measure');
    assert(Math.abs(fps - cfg.VERIFY_FPS) <= cfg.VERIFY_FPS * 0.05, `${fps.toFixed(2)} fps measured, expected ${cfg.VERIFY_FPS} ± 5%`);
    return `${fps.toFixed(2)} fps from frame timestamps (declared ${f.video?.declaredFps?.toFixed(2) ?? '?'})`;
  });
  await report.check(names[2]!, 1_000, async () => {
    const iv = f.keyframeIntervals;
    assert(iv.length >= 2, `only ${iv.length + 1} keyframes in ${f.spanSec.toFixed(1)} s (intervals ${iv.join(', ') || 'none'})`);
    const off = iv.filter((x) => Math.abs(x - cfg.VERIFY_KEYFRAME_SEC) > Math.max(0.1, 1.5 / cfg.VERIFY_FPS));
    assert(off.length === 0, `intervals ${iv.map((x) => `${x.toFixed(3)} s`).join(', ')}; expected ${cfg.VERIFY_KEYFRAME_SEC} s`);
    return `${iv.length} intervals: ${iv.map((x) => `${x.toFixed(3)} s`).join(', ')}`;
  });
  await report.check(names[3]!, 1_000, async () => {
    const a = f.audio;
    assert(a, 'no audio stream');
    assert(a.codec === 'aac', `codec ${a.codec}`);
    assert(f.audioFrames > 0, 'an audio stream with no frames');
    return `aac ${a.profile ?? ''} ${a.sampleRate ?? '?'} Hz, ${a.channels ?? '?'} ch, ${f.audioFrames} frames`;
  });
}

/* ---------------- the picture ---------------- */

/** A decoded frame once the given readings hold still for 300 ms (no animation under way), or the latest after 3 s. */
async function steadyFrame(dec: LiveDecoder, read: (f: DecodedFrame) => number[]): Promise<DecodedFrame | null> {
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

async function frameCheck(
  cfg: VerifyConfig,
  dec: LiveDecoder,
  poll: PollResponse,
  votes: CastVote[],
  hpBefore: Partial<Record<OptionId, number>>,
  before: DecodedFrame | null,
  fight: boolean,
  crop: Crop,
): Promise<CheckReturn> {
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
    const share = changedShare(before, after, { x: 0, y: 0, w: crop.w, h: crop.h });
    assert(share >= 0.002, `the bars region did not change after ${votes.length} votes (${(share * 100).toFixed(2)}% of pixels changed)`);
    return `${(share * 100).toFixed(1)}% of the bars region changed after the votes; pictures in ${cfg.VERIFY_OUT_DIR}/`;
  }

  const hpAfter = last.hp;
  const after = await steadyFrame(dec, (f) => [readHpBar(f, hpBox(0, cfg.width)).fill, readHpBar(f, hpBox(1, cfg.width)).fill]);
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
  ]).catch((e: unknown) => err(`could not save the pictures: ${String(e)}`));
}

/** Crop boxes must be even for 4:2:0 video. */
function evenBox(b: { x: number; y: number; w: number; h: number }): Crop {
  const e = (x: number) => x - (x % 2);
  return { x: e(b.x), y: e(b.y), w: e(b.w), h: e(b.h) };
}

const onSignal = () => {
  stopAll();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`verify: ${e instanceof Error ? e.message : String(e)}\n`);
    stopAll();
    process.exit(2);
  },
);
