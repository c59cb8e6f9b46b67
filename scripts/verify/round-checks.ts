/** The round and the room: a round live with room for the votes, and a WebSocket viewer that gets its snapshots. */
import { isFight } from '@stream-fighter/core';
import { ffprobeJson } from './ffmpeg.ts';
import { assert } from './report.ts';
import { watchRoom } from './room.ts';
import { waitForVotableRound } from './rounds.ts';
import type { Check } from './run-checks.ts';
import { streamFacts } from './stream-probe.ts';
import { progress, type VerifyRun } from './verify-run.ts';

const PROBE_SEC = 6.5;

export function roundLive(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'round live',
    timeoutMs: (cfg.VERIFY_ROUND_WAIT_SEC + 10) * 1000,
    prepare() {
      // The stream probe reads its own ~6 s of stream while the votes go on; the viewer listens from now on.
      if (cfg.VERIFY_RTMP_PLAY_URL) {
        run.probe = ffprobeJson(cfg.VERIFY_RTMP_PLAY_URL, PROBE_SEC, cfg.VERIFY_FPS, 30_000).then(streamFacts);
        run.probe.catch(() => {}); // awaited by the stream checks; never an unhandled rejection meanwhile
      }
      run.viewer = watchRoom(cfg.VERIFY_API_URL, cfg.VERIFY_ROOM);
    },
    async run() {
      const live = await waitForVotableRound(cfg.VERIFY_API_URL, cfg.VERIFY_VOTES, {
        timeoutMs: cfg.VERIFY_ROUND_WAIT_SEC * 1000,
        minLeftMs: 20_000,
        operatorToken: cfg.VERIFY_OPERATOR_TOKEN,
        progress,
      });
      run.round = live;
      const r = live.poll.round;
      return `"${r.matchup.title}" (${r.matchup.options.length} options${isFight(r.matchup) ? ', fight' : ', plain poll'}), ${Math.round(live.poll.timeLeftMs / 1000)} s left, audience ${r.audience}${live.waitedMs > 500 ? `; waited ${(live.waitedMs / 1000).toFixed(1)} s` : ''}${live.rotated ? '; rotated a round that could not take the votes' : ''}`;
    },
  };
}

export function websocketViewer(run: VerifyRun): Check {
  return {
    name: 'websocket viewer',
    timeoutMs: 8_000,
    async run() {
      const viewer = run.viewer!;
      const first = await viewer.waitFor(() => true, 7_000);
      assert(first, `no snapshot on /parties/arena/${run.cfg.VERIFY_ROOM} within 7 s${viewer.invalid.length ? ` (invalid: ${viewer.invalid[0]})` : ''}`);
      assert(viewer.welcomed, 'snapshots came without a welcome');
      return `welcome + snapshot seq ${first.snapshot.seq} (${first.snapshot.round.phase})`;
    },
  };
}
