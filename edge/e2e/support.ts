/**
 * End-to-end support: the whole local stack (stand-ins, migrations, the Worker in workerd, or under `wrangler dev`
 * with EDGE_RUNNER=wrangler) on free ports and a throwaway data folder, in front of the machine's real Postgres
 * and Redis when they answer and the embedded backends when they don't; plus the bits the tests share (a message
 * recorder for real clients, the process-tree check that nothing of wrangler or workerd outlives a stop).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { inject, vi } from 'vitest';
import { LocalSettings } from '@stream-fighter/devstack/stack/settings';
import { startStack, type Stack } from '@stream-fighter/devstack/stack/stack';
import { pollMatchup } from '@stream-fighter/core/fixtures/matchups';
import { RoomFeed, RoundState, feedRoomMessage, type Matchup, type Snapshot } from '@stream-fighter/core';
import { emptyRedisDatabase, freshPostgresDatabase, reachable, TEST_POSTGRES_URL, TEST_REDIS_URL } from '@stream-fighter/devstack/test-support/real-servers';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { ALTCHA_FIELD, altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { SHORT_PHASES } from '@stream-fighter/devstack/test-support/short-phases';
// Its `edgeBundleDir`, provided to every test of the run (the declaration comes with the module).
import type {} from '@stream-fighter/devstack/test-support/e2e-global-setup';
import { descendants, processTable, type Proc } from '@stream-fighter/devstack/stack/process-tree';
export { freePort };

const ROOT = resolve(import.meta.dirname, '../..');
/** Redis database index for these tests alone (the Worker tests use 11), so emptying it touches no one else. */
const REDIS_DB = 13;


export interface E2eStack {
  settings: LocalSettings;
  stack: Stack;
  backends: { postgres: 'real' | 'pglite'; redis: 'real' | 'embedded' };
  /** The stack's edge process groups (workerd, or wrangler and what it started), found while it runs. */
  groups: Set<number>;
  /** Stop the stack (the edge and the stand-ins); data folder, database and Redis stay. */
  stop(): Promise<void>;
  /** Start it again on the same settings, data folder, database and Redis. */
  start(): Promise<Stack>;
  /** Stop the stack and remove everything this run created. Safe to call twice. */
  teardown(): Promise<void>;
}

/** Log lines from the stand-ins are debug chatter; only problems are worth showing in a test run. */
function log(event: string, fields: Record<string, unknown> = {}): void {
  if (fields.level === 'error' || fields.level === 'warn') console.warn(`[stack] ${event} ${JSON.stringify(fields)}`);
}

export async function startE2eStack(extraVars: Record<string, string> = {}): Promise<E2eStack> {
  const cleanups: Array<() => Promise<void>> = [];
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const dataDir = mkdtempSync(join(ROOT, '.data', 'e2e-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

  let databaseUrl: string | undefined;
  if (await reachable(TEST_POSTGRES_URL)) {
    const fresh = await freshPostgresDatabase('sf_e2e');
    databaseUrl = fresh.url;
    cleanups.unshift(fresh.drop);
  }
  let redisUrl: string | undefined;
  if (await reachable(TEST_REDIS_URL)) {
    redisUrl = await emptyRedisDatabase(REDIS_DB);
  }

  const settings = LocalSettings.parse({
    PORT: await freePort(),
    NEON_HTTP_PORT: await freePort(),
    UPSTASH_PORT: await freePort(),
    DATA_DIR: relative(ROOT, dataDir),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });
  // Many voters share 127.0.0.1 here; the per-address limits are for the internet, not for these tests (a test of
  // the limits sets its own).
  const vars = { ...SHORT_PHASES, RATE_LIMIT_IP_PER_10S: '100000', SESSIONS_PER_ADDRESS_PER_HOUR: '100000', VOTES_PER_ADDRESS_PER_ROUND: '100000', ...extraVars };

  const groups = new Set<number>();
  let stack: Stack | null = null;
  const start = async () => {
    if (stack) throw new Error('the stack is already running');
    stack = await startStack(settings, log, vars, { edgeBundleDir: inject('edgeBundleDir') });
    for (const p of descendants(process.pid)) if (/wrangler|workerd/.test(p.cmd) && p.pid === p.pgid) groups.add(p.pgid);
    return stack;
  };
  const stop = async () => {
    const s = stack;
    stack = null;
    await s?.stop();
  };
  try {
    await start();
  } catch (e) {
    for (const c of cleanups) await c().catch(() => {});
    throw e;
  }
  let tornDown = false;
  return {
    settings,
    get stack() {
      if (!stack) throw new Error('the stack is stopped');
      return stack;
    },
    backends: { postgres: databaseUrl ? 'real' : 'pglite', redis: redisUrl ? 'real' : 'embedded' },
    groups,
    stop,
    start,
    async teardown() {
      if (tornDown) return;
      tornDown = true;
      try {
        await stop();
      } finally {
        for (const c of cleanups) await c().catch((e: unknown) => console.warn(`[e2e] cleanup failed: ${String(e)}`));
      }
    },
  };
}

/* ---------------- processes ---------------- */

/**
 * What is left of the stack: wrangler or workerd below this process, or anything still in one of the stack's
 * process groups (a workerd orphaned by its wrangler is re-parented away from us but keeps the group).
 */
export function leftoverStackProcesses(groups: ReadonlySet<number>): Proc[] {
  const mine = descendants(process.pid).filter((p) => /wrangler|workerd/.test(p.cmd));
  const grouped = processTable().filter((p) => groups.has(p.pgid));
  const byPid = new Map([...mine, ...grouped].map((p) => [p.pid, p]));
  // A zombie has exited; only its parent's wait is pending.
  return [...byPid.values()].filter((p) => p.state !== 'Z');
}

/* ---------------- clients ---------------- */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Messages a real client received, parsed, with bounded waits for the one a test needs. */
export class Inbox {
  readonly messages: Array<{ at: number; data: Record<string, unknown> }> = [];
  /** The room's states the client reached from its snapshots and deltas, as a page keeps them (RoomFeed). */
  readonly states: Array<{ at: number; state: Snapshot }> = [];
  private feed = new RoomFeed();
  /** Called when a delta shows a message went missing: the client must send a resync. */
  onGap: () => void = () => {};

  push(raw: unknown): void {
    const at = Date.now();
    const data = JSON.parse(String(raw)) as Record<string, unknown>;
    this.messages.push({ at, data });
    // Each connection (partysocket reconnects) starts with a welcome, then a whole snapshot.
    if (data.type === 'welcome') this.feed = new RoomFeed();
    const result = feedRoomMessage(this.feed, data);
    if (result === 'applied') this.states.push({ at, state: this.feed.state! });
    if (result === 'gap') this.onGap();
  }

  /** The first state at or after index `from` of `states` that matches, waiting at most `timeoutMs`. */
  async waitForState(match: (s: Snapshot) => boolean, timeoutMs: number, from = 0, what = 'a matching state'): Promise<{ index: number; at: number; state: Snapshot }> {
    const index = await vi.waitFor(
      () => {
        const found = this.states.findIndex((s, i) => i >= from && match(s.state));
        if (found < 0) throw new Error(`no ${what} within ${timeoutMs} ms (${this.states.length - from} states since)`);
        return found;
      },
      { timeout: timeoutMs, interval: 10 },
    );
    return { index, ...this.states[index]! };
  }

  /** The first message at or after index `from` that matches, waiting at most `timeoutMs`. */
  async waitFor(match: (m: Record<string, unknown>) => boolean, timeoutMs: number, from = 0, what = 'a matching message'): Promise<{ index: number; at: number; data: Record<string, unknown> }> {
    const index = await vi.waitFor(
      () => {
        const found = this.messages.findIndex((m, i) => i >= from && match(m.data));
        if (found < 0) {
          const seen = this.messages.slice(from).map((m) => m.data.type).join(',');
          throw new Error(`no ${what} within ${timeoutMs} ms (received since: ${seen || 'nothing'})`);
        }
        return found;
      },
      { timeout: timeoutMs, interval: 10 },
    );
    return { index, ...this.messages[index]! };
  }
}

/** An HTTP call that rethrows with the endpoint in the message when the body is not JSON. */
export async function api(base: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

export function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return api(base, path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A first vote, from a client with no session: it solves the edge's proof-of-work challenge, as the page does. */
export async function voteAsNewVoter(base: string, vote: { option: string; pollId?: string }) {
  return postJson(base, '/api/vote', { ...vote, [ALTCHA_FIELD]: await altchaPayload(base) });
}

/**
 * Make a fresh plain poll the live round: clear the queue (the room prewarms it), queue the poll, rotate, then
 * wait (the room's own clock: finish card, results card, intro) until it is live: about 4 s with SHORT_PHASES.
 */
export async function goLiveWithPlainPoll(base: string, operatorToken: string, title: string, durationSec = 600): Promise<{ pollId: string }> {
  await queueAndRotate(base, operatorToken, pollMatchup(3, title, { durationSec }));
  const { pollId } = await waitUntilLive(base, title);
  return { pollId };
}

/** Put `matchup` at the head of a cleared queue and rotate to it; it goes live on the room's own clock (waitUntilLive). */
export async function queueAndRotate(base: string, operatorToken: string, matchup: Matchup): Promise<void> {
  const auth = { authorization: `Bearer ${operatorToken}` };
  let queued = false;
  for (let attempt = 0; attempt < 3 && !queued; attempt++) {
    const q = await api(base, '/api/poll/queue', { headers: auth });
    if (q.status !== 200) throw new Error(`GET /api/poll/queue: ${q.status} ${JSON.stringify(q.body)}`);
    for (const item of q.body.queue as Array<{ id: number }>) await api(base, `/api/poll/queue/${item.id}`, { method: 'DELETE', headers: auth });
    const added = await postJson(base, '/api/poll/queue', matchup, auth);
    if (added.status !== 201) throw new Error(`POST /api/poll/queue: ${added.status} ${JSON.stringify(added.body)}`);
    // A prewarm that was already under way may have slipped in ahead of ours: then go again.
    queued = (added.body.queue as Array<{ matchup: { title: string } }>)[0]?.matchup.title === matchup.title;
  }
  if (!queued) throw new Error(`could not put "${matchup.title}" at the head of the queue`);
  const rotate = async () => {
    const rotated = await api(base, '/api/poll/rotate', { method: 'POST', headers: auth });
    if (rotated.status !== 200) throw new Error(`POST /api/poll/rotate: ${rotated.status} ${JSON.stringify(rotated.body)}`);
  };
  await rotate();
  // A round that had already finished had its successor fixed (bets may name it): once that one opens, end it too.
  await vi.waitFor(
    async () => {
      const round = RoundState.parse((await api(base, '/api/poll')).body.round);
      if (round.matchup.title === matchup.title) return;
      if (round.phase === 'upcoming' || round.phase === 'live') await rotate();
      throw new Error(`"${matchup.title}" was not the next round within 30 s (last seen ${round.matchup.title}: ${round.phase})`);
    },
    { timeout: 30_000, interval: 250 },
  );
}

/** The round titled `title` once it is live (within 30 s). */
export async function waitUntilLive(base: string, title: string): Promise<RoundState> {
  return vi.waitFor(
    async () => {
      const round = RoundState.parse((await api(base, '/api/poll')).body.round);
      if (round.matchup.title !== title || round.phase !== 'live') throw new Error(`${title} did not go live within 30 s (last seen ${round.matchup.title}: ${round.phase})`);
      return round;
    },
    { timeout: 30_000, interval: 250 },
  );
}
