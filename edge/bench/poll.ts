/**
 * Operator side of the benchmark: put a plain 4-option poll on air (a plain poll has no KO, so the round stays
 * open for the whole run) and read its tally.
 */
import { generateMatchup, type Matchup, type PollResponse } from '@stream-fighter/core';

const TITLE = 'Benchmark poll (4 options)';

async function call<T>(api: string, path: string, init: RequestInit = {}): Promise<T> {
  const what = `${init.method ?? 'GET'} ${path}`;
  const res = await fetch(`${api}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } }).catch((e: unknown) => {
    throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)} (is the edge still running?)`);
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export const getPoll = (api: string) => call<PollResponse>(api, '/api/poll');

export function totalVotes(p: PollResponse): number {
  return Object.values(p.round.votes).reduce((a, b) => a + (b ?? 0), 0);
}

/**
 * Queues the bench matchup, clears anything queued ahead of it (the room prewarms its queue), rotates, and waits
 * until it is live: finish 4 s + results 8 s + intro 5 s, so about 17 s.
 */
export async function startPlainPoll(api: string, operatorToken: string, say: (line: string) => void, durationSec = 1800): Promise<PollResponse> {
  const auth = { authorization: `Bearer ${operatorToken}` };
  const matchup: Matchup = { ...generateMatchup('bench', { options: 4, durationSec }), title: TITLE };
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { queue } = await call<{ queue: Array<{ id: number; matchup: Matchup }> }>(api, '/api/poll/queue', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(matchup),
    });
    const mine = queue.at(-1)!.id;
    for (const q of queue) if (q.id !== mine) await call(api, `/api/poll/queue/${q.id}`, { method: 'DELETE', headers: auth }).catch(() => {});
    say(`rotating to the bench poll (attempt ${attempt}); the next round is live in ~17 s`);
    const before = (await call<PollResponse>(api, '/api/poll/rotate', { method: 'POST', headers: auth })).round.pollId;
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const p = await getPoll(api);
      if (p.round.pollId !== before && p.round.phase === 'live') {
        if (p.round.matchup.title === TITLE) return p;
        break; // something else got on air first (a prewarm raced us): rotate again
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error('could not get the bench poll live');
}
