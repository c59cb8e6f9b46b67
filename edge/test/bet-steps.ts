/**
 * The steps the bets' tests share (bets.test.ts, leaderboard.test.ts): a fight brought to its intro (the betting
 * window) and held there, sent live, and a viewer's bet and balance through the Worker.
 */
import type { MeResponse } from '@stream-fighter/core';
import { fightMatchup } from '@stream-fighter/core/fixtures/matchups';
import { addressOf, call, currentPoll, OPERATOR, postJson, shiftRoomClock, type PollView } from './helpers.ts';

/**
 * Queue `matchup` (a fight by default), end the current round and drive the clock to the new round's intro. The
 * intro lasts 5 s of room time (ROUND_PHASES_MS); the room's clock is then set back by `holdMs`, which holds the
 * round in its intro (the reducer never runs time backwards inside a round) so a test's requests all land inside the
 * window.
 */
export async function introRound(opts: { matchup?: unknown; holdMs?: number } = {}): Promise<PollView['round']> {
  const q = (await (await call('/api/poll/queue', { headers: OPERATOR })).json()) as { queue: Array<{ id: number }> };
  for (const item of q.queue) await call(`/api/poll/queue/${item.id}`, { method: 'DELETE', headers: OPERATOR });
  const added = await postJson('/api/poll/queue', opts.matchup ?? fightMatchup(), OPERATOR);
  if (added.status !== 201) throw new Error(`queueing failed: ${added.status} ${await added.text()}`);
  const before = await currentPoll();
  await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    const p = await currentPoll();
    seen.push(`${p.round.pollId}:${p.round.phase}`);
    if (p.round.pollId !== before.round.pollId && p.round.phase === 'upcoming') {
      await shiftRoomClock(-(opts.holdMs ?? 60_000));
      return p.round;
    }
    const r = p.round;
    const due = r.phase === 'finished' ? r.phaseAt + 4_000 : r.phase === 'results' ? r.phaseAt + 8_000 : r.phase === 'upcoming' ? r.liveAt : r.endsAt;
    await shiftRoomClock(Math.max(1, due - p.now + 1));
  }
  throw new Error(`no new round in its intro: ${seen.join(' ')}`);
}

/** Move the room's clock to just past the round's start: it goes live and its bets close. */
export async function goLiveNow(): Promise<void> {
  const p = await currentPoll();
  if (p.round.phase !== 'upcoming') throw new Error(`expected a round in its intro, got ${p.round.phase}`);
  await shiftRoomClock(p.round.liveAt - p.now + 1);
  const live = await currentPoll();
  if (live.round.phase !== 'live') throw new Error(`round did not go live: ${live.round.phase}`);
}

export function bet(token: string, body: Record<string, unknown>): Promise<Response> {
  return postJson('/api/bet', body, { 'x-voter-token': token, 'cf-connecting-ip': addressOf(token) });
}

export async function me(token: string): Promise<MeResponse> {
  const res = await call('/api/me', { headers: { 'x-voter-token': token } });
  if (res.status !== 200) throw new Error(`GET /api/me: ${res.status} ${await res.text()}`);
  return (await res.json()) as MeResponse;
}
