import { env, runInDurableObject } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import type { Arena } from '../src/room/arena.ts';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import { signVoter } from '../src/voter/token.ts';

export const OPERATOR = { authorization: `Bearer ${env.OPERATOR_TOKEN}` };
export const BASE = 'https://sf.test';

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function room(name = env.ROOM_NAME ?? 'main'): DurableObjectStub<Arena> {
  const ns = env.Arena as unknown as DurableObjectNamespace<Arena>;
  return ns.get(ns.idFromName(name));
}

/**
 * Move the room's clock forward: the reducer takes time from `now()`, so rounds can be driven without waiting.
 * Time keeps flowing from the shifted point.
 */
export async function shiftRoomClock(ms: number, name?: string): Promise<void> {
  await runInDurableObject(room(name), async (instance: Arena) => {
    const shifted = instance as Arena & { clockOffset?: number };
    shifted.clockOffset = (shifted.clockOffset ?? 0) + ms;
    instance.now = () => Date.now() + (shifted.clockOffset ?? 0);
  });
}

export interface PollView {
  seq: number;
  now: number;
  round: { pollId: string; phase: string; liveAt: number; endsAt: number; phaseAt: number; votes: Record<string, number>; hp: Record<string, number>; matchup: { options: unknown[] }; outcome: unknown; hitCount: number };
  previous: { pollId: string; totalVotes: number; votes: Record<string, number>; outcome: { reason: string; winner: string | null } } | null;
  myVote: string | null;
}

export async function currentPoll(headers: Record<string, string> = {}): Promise<PollView> {
  return (await (await call('/api/poll', { headers })).json()) as PollView;
}

/** How far to move the clock to reach the round's next deadline (intro end, finish card end, results end). */
function untilNextDeadline(p: PollView): number {
  const r = p.round;
  const due = r.phase === 'upcoming' ? r.liveAt : r.phase === 'finished' ? r.phaseAt + 4_000 : r.phase === 'results' ? r.phaseAt + 8_000 : r.endsAt;
  return Math.max(1, due - p.now + 1);
}

/** Drive the room until a round is live (through intro, finish and results as needed). */
export async function goLive(): Promise<PollView['round']> {
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    const p = await currentPoll();
    seen.push(`${p.round.pollId}:${p.round.phase}`);
    if (p.round.phase === 'live') return p.round;
    await shiftRoomClock(untilNextDeadline(p));
  }
  throw new Error(`room did not go live: ${seen.join(' ')}`);
}

/** End the current round and make `matchup` (or the next queued one) the live round. */
export async function nextLiveRound(matchup?: unknown): Promise<PollView['round']> {
  if (matchup) {
    const qr = await call('/api/poll/queue', { headers: OPERATOR });
    const q = (await qr.json()) as { queue: Array<{ id: number }> };
    if (!Array.isArray(q.queue)) throw new Error(`queue: ${qr.status} ${JSON.stringify(q)}`);
    for (const item of q.queue) await call(`/api/poll/queue/${item.id}`, { method: 'DELETE', headers: OPERATOR });
    const added = await postJson('/api/poll/queue', matchup, OPERATOR);
    if (added.status !== 201) throw new Error(`queueing failed: ${added.status} ${await added.text()}`);
  }
  let before = await currentPoll();
  const title = (matchup as { title?: string } | undefined)?.title;
  await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
  for (let i = 0; i < 24; i++) {
    const p = await currentPoll();
    if (p.round.pollId !== before.round.pollId && p.round.phase === 'live') {
      // A round that had already finished had its successor fixed (bets can name it): that one plays first.
      if (title === undefined || (p.round.matchup as { title?: string }).title === title) return p.round;
      before = p;
      await call('/api/poll/rotate', { method: 'POST', headers: OPERATOR });
      continue;
    }
    await shiftRoomClock(untilNextDeadline(p));
  }
  throw new Error(`no new live round${title === undefined ? '' : ` playing "${title}"`}`);
}

/** A signed voter session, minted with the Worker's own signer and secret (as if issued on a first vote). */
export async function voterToken(id: string): Promise<string> {
  return signVoter(env.VOTER_SECRET, id, Math.floor(Date.now() / 1000));
}

/**
 * An address of its own for each voter (198.18.0.0/15, the benchmarking range), as distinct viewers have: the
 * per-address caps are tested on their own, with addresses chosen on purpose.
 */
export function addressOf(seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  h >>>= 0;
  return `198.${18 + (h >>> 31)}.${(h >>> 8) & 255}.${h & 255}`;
}

export async function vote(option: string, token?: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return postJson('/api/vote', { option, ...extra }, { 'cf-connecting-ip': addressOf(token ?? JSON.stringify(extra)), ...(token ? { 'x-voter-token': token } : {}), ...headers });
}

/**
 * A solved proof-of-work challenge, the way a client without a session gets one: GET /api/challenge, then
 * altcha-lib's own solver. Returns the widget's payload (base64 JSON), sent as `altcha` with a first vote.
 */
export async function solvedAltcha(headers: Record<string, string> = {}): Promise<string> {
  const res = await call('/api/challenge', { headers });
  if (res.status !== 200) throw new Error(`GET /api/challenge: ${res.status} ${await res.text()}`);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 10_000 });
  if (!solution) throw new Error('the challenge was not solved within 10 s');
  return btoa(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }));
}
