/**
 * The round as the checks need it: wait (bounded) until one is live with time to spare, and plan votes that
 * cannot knock anyone out, so the round stays live while the checks look at it.
 */
import { damageFor, isFight, MAX_DAMAGE, phaseLengths, PollResponse, type OptionId, type RoundState } from '@stream-fighter/core';
import { request, sleep } from './http.ts';

export async function getPoll(api: string): Promise<PollResponse> {
  const r = await request(`${api}/api/poll`, { timeoutMs: 5_000 });
  if (r.status !== 200) throw new Error(`GET /api/poll: ${r.status} ${r.text.slice(0, 200)}`);
  return PollResponse.parse(r.body);
}

/**
 * Votes for `n` distinct voters that leave both fighters standing: a vote for A hits B, so each side takes at
 * most the hits its HP can absorb at the largest possible hit. null when the round cannot take `n` such votes.
 * A plain poll (3–4 options) has no HP: the votes go round the options.
 */
export function planVotes(round: RoundState, n: number): OptionId[] | null {
  const ids = round.matchup.options.map((o) => o.id);
  if (!isFight(round.matchup)) return Array.from({ length: n }, (_, i) => ids[i % ids.length]!);
  const [a, b] = ids as [OptionId, OptionId];
  const worst = Math.min(MAX_DAMAGE, Math.max(damageFor(round.audience, 'special'), damageFor(round.audience, 'kick')));
  // Hits each side can still take and stay above 0.
  const room = { [a]: Math.floor(((round.hp[a] ?? 0) - 1) / worst), [b]: Math.floor(((round.hp[b] ?? 0) - 1) / worst) } as Record<OptionId, number>;
  const plan: OptionId[] = [];
  for (let i = 0; i < n; i++) {
    // Hit whichever side can take more; a vote for the other side is the hit.
    const target = room[b] >= room[a] ? b : a;
    if (room[target] <= 0) return null;
    room[target]--;
    plan.push(target === b ? a : b);
  }
  return plan;
}

export interface LiveRound {
  poll: PollResponse;
  plan: OptionId[];
  waitedMs: number;
  rotated: boolean;
}

/**
 * Waits until a round is live with at least `minLeftMs` on the clock and room for `n` safe votes. With an
 * operator token, a round that cannot take them is rotated (once); without one, the next round is awaited.
 */
export async function waitForVotableRound(
  api: string,
  n: number,
  o: { timeoutMs: number; minLeftMs: number; operatorToken?: string | undefined; progress?: (s: string) => void },
): Promise<LiveRound> {
  const t0 = Date.now();
  let rotated = false;
  let last = '';
  let shown = '';
  while (Date.now() - t0 < o.timeoutMs) {
    const poll = await getPoll(api);
    const r = poll.round;
    last = `${r.phase}, hp ${JSON.stringify(r.hp)}`;
    if (r.phase === 'live' && poll.timeLeftMs >= o.minLeftMs) {
      const plan = planVotes(r, n);
      if (plan) return { poll, plan, waitedMs: Date.now() - t0, rotated };
      last += ` — too close to a KO for ${n} votes`;
    }
    const closing = r.phase === 'live' && (poll.timeLeftMs < o.minLeftMs || !planVotes(r, n));
    if (closing && o.operatorToken && !rotated) {
      o.progress?.(`round ${r.pollId} cannot take ${n} more votes safely (${last}): rotating`);
      const rot = await request(`${api}/api/poll/rotate`, { method: 'POST', headers: { authorization: `Bearer ${o.operatorToken}` }, timeoutMs: 5_000 });
      if (rot.status !== 200) throw new Error(`POST /api/poll/rotate: ${rot.status} ${rot.text.slice(0, 200)}`);
      rotated = true;
      continue;
    }
    if (closing) {
      // Without a token the next round is the only way: wait for it only when it comes within the limit.
      const phases = phaseLengths(r);
      const nextLiveIn = poll.timeLeftMs + phases.finish + phases.results + phases.intro;
      const budget = o.timeoutMs - (Date.now() - t0);
      if (nextLiveIn > budget) {
        throw new Error(`the live round cannot take ${n} more votes safely (${last}) and the next one goes live in ~${Math.round(nextLiveIn / 1000)} s; set VERIFY_OPERATOR_TOKEN to rotate, or raise VERIFY_ROUND_WAIT_SEC`);
      }
    }
    if (last !== shown) o.progress?.(`waiting for a live round (${last})`);
    shown = last;
    // Intro: it goes live at liveAt. Otherwise look again shortly.
    const wait = r.phase === 'upcoming' ? Math.max(200, r.liveAt - poll.now + 100) : 1_000;
    await sleep(Math.min(wait, 2_000));
  }
  throw new Error(`no round live with ${Math.round(o.minLeftMs / 1000)} s left and room for ${n} votes within ${Math.round(o.timeoutMs / 1000)} s (last seen: ${last})`);
}
