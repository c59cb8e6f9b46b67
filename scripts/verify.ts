/**
 * `npm run verify`: checks a running Stream Fighter end to end and prints one line per check (✔ / ✘ / –), then
 * exits non-zero if anything failed. The local stack by default (`npm start`); a deployment through VERIFY_* (see
 * scripts/verify/config.ts). Every step has a time limit and the whole run has a deadline: it never hangs.
 *
 * What it looks at: the health endpoints (edge, render node), votes from distinct voters and their tally over the
 * room's WebSocket, the stream at the RTMP receiver with FFprobe (codec, size, frame rate, keyframes, audio), and
 * decoded frames whose HP bars must show exactly the HP the votes left. `main()` lists the checks in the order they
 * run; each lives in scripts/verify/<subject>-checks.ts and reads what the ones before it found (verify-run.ts).
 */
import { performance } from 'node:perf_hooks';
import { loadRootEnv, readVerifyConfig, type VerifyConfig } from './verify/config.ts';
import { edgeHealth, edgePoll, edgeStreamLive } from './verify/edge-checks.ts';
import { stopAll } from './verify/ffmpeg.ts';
import { barsShowVotes, receiverDecode } from './verify/picture-checks.ts';
import { renderHealth, renderMetrics, renderSnapshot } from './verify/render-checks.ts';
import { Report } from './verify/report.ts';
import { roundLive, websocketViewer } from './verify/round-checks.ts';
import { runChecks } from './verify/run-checks.ts';
import { streamAudio, streamFrameRate, streamKeyframes, streamVideo } from './verify/stream-checks.ts';
import { newVoters, sameVoterRefused, talliesArrive } from './verify/vote-checks.ts';
import { VerifyRun } from './verify/verify-run.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  loadRootEnv();
  const cfg = readVerifyConfig();
  const t0 = performance.now();
  const report = new Report(out);
  printHeader(cfg);
  const run = new VerifyRun(cfg);
  const finish = (code: number) => {
    run.close();
    stopAll();
    return printSummary(report, code, t0);
  };
  // The deadline: whatever is still waiting, print what we have and fail.
  const deadline = setTimeout(() => {
    out(`✘ ${'deadline'.padEnd(33)} the run passed VERIFY_DEADLINE_SEC=${cfg.VERIFY_DEADLINE_SEC} s; stopping`);
    process.exit(finish(1));
  }, cfg.VERIFY_DEADLINE_SEC * 1000);
  deadline.unref();

  await runChecks(report, [
    edgeHealth(cfg),
    edgePoll(cfg),
    renderHealth(cfg),
    renderMetrics(cfg),
    renderSnapshot(cfg),
    edgeStreamLive(cfg),
    roundLive(run), // also starts the stream probe and the room viewer the checks below read
    websocketViewer(run),
    receiverDecode(run),
    newVoters(run),
    sameVoterRefused(run),
    talliesArrive(run),
    streamVideo(run),
    streamFrameRate(run),
    streamKeyframes(run),
    streamAudio(run),
    barsShowVotes(run),
  ]);

  clearTimeout(deadline);
  return finish(0);
}

function printHeader(cfg: VerifyConfig): void {
  out(`Stream Fighter verify — ${new Date().toISOString()}`);
  out(`  API ${cfg.VERIFY_API_URL} · room ${cfg.VERIFY_ROOM} · render node ${cfg.VERIFY_RENDER_URL ?? 'off'} · stream ${cfg.VERIFY_RTMP_PLAY_URL ?? 'off'}`);
  out(`  expecting ${cfg.width}x${cfg.height} @ ${cfg.VERIFY_FPS} fps, keyframe every ${cfg.VERIFY_KEYFRAME_SEC} s; operator token: ${cfg.operatorTokenSource ?? 'none (operator checks skipped)'}`);
  out('');
}

/** The last line, which CI reads: PASS or FAIL and the counts. Returns the exit code. */
function printSummary(report: Report, code: number, t0: number): number {
  const pass = report.results.filter((r) => r.outcome === 'pass').length;
  const skip = report.results.filter((r) => r.outcome === 'skip').length;
  out('');
  for (const n of report.notes) out(`  note: ${n}`);
  out(`${report.failed === 0 && code === 0 ? 'PASS' : 'FAIL'}: ${pass} passed, ${report.failed} failed, ${skip} skipped in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return report.failed === 0 ? code : 1;
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
