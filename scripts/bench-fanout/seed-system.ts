/**
 * The seed's realtime tier as the system under test: its Socket.IO tier and the API votes go through, each a child
 * process (seed/), on the machine's Redis. Viewers are socket.io-client instances; votes are POST /api/vote with a
 * pollId and an optionId, as the seed's vote page sends them. A fresh poll for every viewer count.
 */
import { reachable } from '@stream-fighter/devstack/test-support/real-servers';
import { Redis } from 'ioredis';
import { cpuMs } from '@stream-fighter/devstack/stack/process-tree';
import { startNodeChild, type Child } from './child.ts';
import type { Knobs } from './knobs.ts';
import type { SystemUnderTest } from './system.ts';
import { KEYS, type SeedPoll } from './seed/wire.ts';

const READY_TIMEOUT_MS = 20_000;

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

export async function startSeed(k: Knobs, say: (line: string) => void, register: (close: () => Promise<void>) => void): Promise<SystemUnderTest> {
  if (!(await reachable(k.BENCH_SEED_REDIS_URL))) {
    throw new Error(`the seed's tier needs a Redis server (its Socket.IO adapter publishes there) and none answers at ${k.BENCH_SEED_REDIS_URL}: start redis-server or set BENCH_SEED_REDIS_URL`);
  }
  const children: Child[] = [];
  const polls: SeedPoll[] = [];
  const close = async () => {
    for (const c of children.reverse()) await c.stop();
    await forgetPolls(k.BENCH_SEED_REDIS_URL, polls).catch((e: unknown) => say(`seed tier: could not remove its Redis keys: ${String(e)}`));
  };
  register(close);
  const socketPort = k.BENCH_SEED_PORT;
  const apiPort = k.BENCH_SEED_PORT + 1;
  const common = { SEED_REDIS_URL: k.BENCH_SEED_REDIS_URL };
  children.push(
    await startNodeChild('seed-socket', new URL('./seed/socket-tier.ts', import.meta.url), { ...common, SEED_PORT: String(socketPort), SEED_API_URL: `http://127.0.0.1:${apiPort}`, SEED_ADAPTER_KEY: `socket.io-bench-fanout-${process.pid}` }, READY_TIMEOUT_MS, say, k.BENCH_VERBOSE),
  );
  children.push(
    await startNodeChild('seed-api', new URL('./seed/vote-api.ts', import.meta.url), { ...common, SEED_API_PORT: String(apiPort), SEED_SOCKET_URL: `http://127.0.0.1:${socketPort}` }, READY_TIMEOUT_MS, say, k.BENCH_VERBOSE),
  );
  const api = `http://127.0.0.1:${apiPort}`;
  say(`seed tier   Socket.IO on :${socketPort} with @socket.io/redis-adapter on ${k.BENCH_SEED_REDIS_URL}, its vote API on :${apiPort}`);
  let poll: SeedPoll | null = null;

  return {
    label: "seed's Socket.IO tier",
    viewerKind: 'seed',
    viewerUrl: `http://127.0.0.1:${socketPort}`,
    // One socket per viewer in the tier's process, and one in the harness's: both far from the limit.
    cannotHold: () => null,
    async newRound() {
      poll = (await call<{ poll: SeedPoll }>(`${api}/api/poll/rotate`, { method: 'POST' })).poll;
      polls.push(poll);
    },
    async prepare() {
      // A page load right before the votes: the seed's poll cache lives 5 minutes, and connecting viewers takes a while.
      poll = (await call<{ current: SeedPoll | null }>(`${api}/api/poll`)).current;
      if (!poll) throw new Error("the seed's API has no current poll");
    },
    async vote(n) {
      const p = poll!;
      await call(`${api}/api/vote`, { method: 'POST', body: JSON.stringify({ pollId: p.id, optionId: (n % 2 ? p.optionA : p.optionB).id }) });
    },
    // Its two processes (the Socket.IO tier and its vote API); the Redis server is shared and not counted, as for Stream Fighter.
    serverCpuMs: () => children.reduce((a, c) => a + (cpuMs(c.pid) ?? 0), 0),
    close,
  };
}

/** The seed's keys of this run's polls (its vote counters never expire), so repeated runs leave nothing behind. */
async function forgetPolls(url: string, polls: SeedPoll[]): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    const keys = polls.flatMap((p) => [KEYS.fight(p.id), KEYS.votes(p.id, p.optionA.id), KEYS.votes(p.id, p.optionB.id)]);
    await redis.del(KEYS.currentPollId, KEYS.currentPoll, ...keys);
  } finally {
    redis.disconnect();
  }
}
