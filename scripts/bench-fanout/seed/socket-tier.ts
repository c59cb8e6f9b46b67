/**
 * The seed's realtime tier, re-created for the benchmark (a child process of it): the design of
 * 24hwww/stream-fighter `stream-socket/index.js`, in this project's words. A Socket.IO server on the Redis adapter
 * (ioredis publisher and subscriber, as the seed); every 200 ms a tick reads the poll and the two vote counters from
 * Redis, steps the fight, writes it back and broadcasts the WHOLE fight state to every client (`heartbeat`). Clients
 * (and the API's own client) may send `vote`, `poll-update` and `shoutout`, which it rebroadcasts to everyone.
 *
 * Kept as the seed has it: ticks on a plain setInterval (a slow tick overlaps the next), one Redis round trip at a
 * time, the poll fetched from the API when Redis has no current id. Changed for the benchmark: the API's URL and the
 * port come from the environment; the adapter's channel prefix is this run's (no cross-talk with another run on the
 * same Redis); and the rotation the seed asks the API for 8 s after a KO is off unless SEED_ROTATE=1 (the benchmark
 * holds one round per viewer count, as it does for Stream Fighter's room).
 * Prints `ready` once listening.
 */
import http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { z } from 'zod';
import { stepFight } from './fight.ts';
import { stopWithParent } from './parent-watch.ts';
import { KEYS, TTL, type Heartbeat, type SeedFight, type SeedPoll } from './wire.ts';

const Env = z.object({
  SEED_PORT: z.coerce.number().int().min(1).max(65_535),
  SEED_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'SEED_REDIS_URL must be a redis:// URL'),
  SEED_API_URL: z.url(),
  SEED_ADAPTER_KEY: z.string().min(1).default('socket.io'),
  SEED_ROTATE: z.stringbool().default(false),
});
const env = Env.parse(process.env);
const TICK_MS = 200;
const ROTATE_AFTER_MS = 8_000;

const pub = new Redis(env.SEED_REDIS_URL);
const sub = pub.duplicate();
const redis = pub.duplicate();

const server = http.createServer((req, res) => {
  if (req.url === '/health') return void res.writeHead(200).end('OK');
});
const io = new Server(server, { cors: { origin: '*', methods: ['GET', 'POST'] }, adapter: createAdapter(pub, sub, { key: env.SEED_ADAPTER_KEY }) });

let rotationLock = false;

async function currentPollId(): Promise<string | null> {
  const id = await redis.get(KEYS.currentPollId);
  if (id) return id;
  const res = await fetch(new URL('/api/poll', env.SEED_API_URL)).catch(() => null);
  const body = res?.ok ? ((await res.json()) as { current?: SeedPoll | null }) : null;
  if (!body?.current) return null;
  await redis.set(KEYS.currentPollId, body.current.id, 'EX', TTL.currentPollId);
  return body.current.id;
}

async function counters(pollId: string): Promise<[number, number] | null> {
  const cached = await redis.get(KEYS.currentPoll);
  const poll = cached ? (JSON.parse(cached) as SeedPoll) : null;
  if (poll?.id !== pollId) return null;
  const a = Number((await redis.get(KEYS.votes(pollId, poll.optionA.id))) ?? 0);
  const b = Number((await redis.get(KEYS.votes(pollId, poll.optionB.id))) ?? 0);
  return [a, b];
}

async function tick(): Promise<void> {
  const pollId = await currentPollId();
  if (!pollId) return;
  const raw = await redis.get(KEYS.fight(pollId));
  if (!raw) return;
  const fight = JSON.parse(raw) as SeedFight;
  if (!fight.combatOver) rotationLock = false;
  const now = Date.now();
  stepFight(fight, await counters(pollId), now, Math.random);
  if (fight.combatOver && !rotationLock) {
    rotationLock = true;
    if (env.SEED_ROTATE) setTimeout(() => void fetch(new URL('/api/poll/rotate', env.SEED_API_URL), { method: 'POST' }).catch(() => {}), ROTATE_AFTER_MS);
  }
  await redis.set(KEYS.fight(pollId), JSON.stringify(fight), 'EX', TTL.fight);
  io.emit('heartbeat', { pollId, combatState: fight, ts: now } satisfies Heartbeat);
}

// As the seed: a failed tick is skipped silently, and the next one comes 200 ms after this one started.
const ticker = setInterval(() => void tick().catch(() => {}), TICK_MS);

io.on('connection', async (socket) => {
  const poll = await redis.get(KEYS.currentPoll);
  if (poll) socket.emit('poll-update', JSON.parse(poll));
  socket.on('vote', (data: unknown) => io.emit('vote', data));
  socket.on('poll-update', async (data: { id?: string } | null) => {
    rotationLock = false;
    if (data?.id) await redis.set(KEYS.currentPollId, data.id, 'EX', TTL.currentPollId);
    io.emit('poll-update', data);
  });
  socket.on('shoutout', (data: unknown) => io.emit('shoutout', data));
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  // io.close() also closes the HTTP server; the Redis clients go last so the adapter can unsubscribe.
  void io.close().finally(() => {
    for (const c of [redis, sub, pub]) c.disconnect();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 5_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
stopWithParent(stop);

server.listen(env.SEED_PORT, '127.0.0.1', () => process.stdout.write('ready\n'));
