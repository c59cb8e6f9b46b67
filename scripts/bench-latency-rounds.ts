/**
 * The rounds `npm run bench:latency` plays: a matchup of its own put live at once through the operator API, so
 * each part starts on a round it chose (a fresh 2-fighter fight for the latency samples, a long plain poll for the
 * chat burst) rather than whatever the room's generator queued.
 */
import { performance } from 'node:perf_hooks';
import type { Matchup, PollResponse } from '@stream-fighter/core';
import { postJson, request, sleep } from './verify/http.ts';
import { getPoll } from './verify/rounds.ts';

/**
 * Clear the queue (the room prewarms it), queue `matchup`, rotate, and wait (bounded) until it is live: the
 * finish, results and intro cards of ROUND_PHASES_MS.
 */
export async function freshRound(api: string, auth: Record<string, string>, m: Matchup, timeoutMs = 30_000): Promise<PollResponse> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const q = await request(`${api}/api/poll/queue`, { headers: auth, timeoutMs: 5_000 });
    if (q.status !== 200) throw new Error(`GET /api/poll/queue: ${q.status} ${q.text.slice(0, 200)}`);
    for (const item of (q.body as { queue: Array<{ id: number }> }).queue) {
      await request(`${api}/api/poll/queue/${item.id}`, { method: 'DELETE', headers: auth, timeoutMs: 5_000 });
    }
    const added = await postJson(`${api}/api/poll/queue`, m, auth, 5_000);
    if (added.status !== 201) throw new Error(`POST /api/poll/queue: ${added.status} ${added.text.slice(0, 200)}`);
    // A prewarm under way may have slipped in ahead: then go again.
    if ((added.body as { queue: Array<{ matchup: { title: string } }> }).queue[0]?.matchup.title === m.title) break;
  }
  const rot = await request(`${api}/api/poll/rotate`, { method: 'POST', headers: auth, timeoutMs: 5_000 });
  if (rot.status !== 200) throw new Error(`POST /api/poll/rotate: ${rot.status} ${rot.text.slice(0, 200)}`);
  const until = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < until) {
    const p = await getPoll(api);
    last = `${p.round.matchup.title}: ${p.round.phase}`;
    if (p.round.matchup.title === m.title && p.round.phase === 'live') return p;
    await sleep(100);
  }
  throw new Error(`"${m.title}" did not go live within ${timeoutMs / 1000} s (last seen ${last})`);
}
