/**
 * Votes from new voters (one each, no cookie, no token, a solved challenge apiece), spaced so each hit is on
 * screen on its own; the same voter refused a second time; every tally back over the room's WebSocket in time.
 */
import { performance } from 'node:perf_hooks';
import { ALTCHA_FIELD, altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { hpBox, readHpBar } from './hud.ts';
import { postJson, sleep } from './http.ts';
import { assert } from './report.ts';
import { getPoll } from './rounds.ts';
import type { Check } from './run-checks.ts';
import { median, ms } from './stats.ts';
import { hpFills, steadyFrame } from './steady-frame.ts';
import type { VerifyRun } from './verify-run.ts';

const noRound = (run: VerifyRun) => () => (run.round ? undefined : 'no live round');
/** The follow-ups say nothing when no vote went through: the votes' own line has said why. */
const noVotes = (run: VerifyRun) => () => run.round !== null && run.votes.length === 0;

export function newVoters(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'votes: new voters',
    title: () => `votes: ${run.round!.plan.length} new voters`,
    timeoutMs: 30_000,
    skip: noRound(run),
    async prepare() {
      // The picture and the HP the votes start from, taken before the votes' time starts.
      const r0 = run.round!.poll.round;
      const dec = run.decoder;
      if (dec && !dec.exited && run.fight) run.before = await steadyFrame(dec, hpFills(cfg.width));
      else if (dec && !dec.exited) run.before = dec.frames.at(-1) ?? null;
      const snapBefore = await getPoll(cfg.VERIFY_API_URL).catch(() => run.round!.poll);
      run.hpBefore = snapBefore.round.pollId === r0.pollId ? snapBefore.round.hp : r0.hp;
    },
    async run() {
      const round = run.round!;
      const r0 = round.poll.round;
      const dec = run.decoder;
      const { votes, fight } = run;
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
    },
  };
}

export function sameVoterRefused(run: VerifyRun): Check {
  return {
    name: 'votes: same voter again refused',
    timeoutMs: 10_000,
    omit: noVotes(run),
    skip: noRound(run),
    async run() {
      const v = run.votes[0]!;
      const res = await postJson(`${run.cfg.VERIFY_API_URL}/api/vote`, { option: v.option }, { 'x-voter-token': v.voterToken }, 8_000);
      const code = (res.body as { error?: { code?: string } }).error?.code;
      assert(res.status === 409 && code === 'already-voted', `expected 409 already-voted, got ${res.status} ${res.text.slice(0, 160)}`);
      return '409 already-voted';
    },
  };
}

export function talliesArrive(run: VerifyRun): Check {
  const { cfg } = run;
  return {
    name: 'websocket: tallies arrive',
    timeoutMs: cfg.VERIFY_WS_BOUND_MS + 5_000,
    omit: noVotes(run),
    skip: noRound(run),
    async run() {
      const { votes } = run;
      const lags: number[] = [];
      for (const v of votes) {
        const got = await run.viewer!.waitFor(
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
    },
  };
}
