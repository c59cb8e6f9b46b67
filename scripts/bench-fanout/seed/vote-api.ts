/**
 * The part of the seed's API that votes go through, re-created for the benchmark (a child process of it): the
 * design of 24hwww/stream-fighter `stream-screen/server` (index.js and services/PollService.js) in this project's
 * words. POST /api/vote counts in Redis (INCR of the option's counter), refreshes the cached poll with the new
 * count and tells the realtime tier through its own Socket.IO client (`vote`, which the tier rebroadcasts); the
 * fight itself moves on the tier's next tick. POST /api/poll/rotate puts a new poll on: cached, a fresh fight
 * state, and `poll-update` to the tier. GET /api/poll answers the cached poll.
 *
 * Left out, and why: the seed also inserts each vote into Postgres, not awaited (off the measured path), and makes
 * its matchups with an AI call; here the poll's options are fixed and the "database" is this process's memory.
 * The seed's vote route checks nothing but the presence of pollId and optionId, and neither does this one.
 * Prints `ready` once listening and connected to the tier.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { z } from 'zod';
import { newFight } from './fight.ts';
import { stopWithParent } from './parent-watch.ts';
import { KEYS, TTL, type SeedPoll } from './wire.ts';

const Env = z.object({
  SEED_API_PORT: z.coerce.number().int().min(1).max(65_535),
  SEED_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'SEED_REDIS_URL must be a redis:// URL'),
  SEED_SOCKET_URL: z.url(),
});
const env = Env.parse(process.env);
const MATCH_MS = 3 * 60_000;

const redis = new Redis(env.SEED_REDIS_URL);
// The seed's server-side client: WebSocket first, reconnecting.
const tier = io(env.SEED_SOCKET_URL, { transports: ['websocket', 'polling'], reconnection: true, reconnectionDelay: 1000, timeout: 20_000 });
let current: SeedPoll | null = null;

const cuid = () => `c${randomBytes(12).toString('hex').slice(0, 24)}`;

async function rotate(): Promise<SeedPoll> {
  const now = Date.now();
  const option = (name: string) => ({ id: cuid(), name, image: null, _count: { votes: 0 } });
  current = {
    id: cuid(),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + MATCH_MS).toISOString(),
    active: true,
    category: { id: cuid(), name: 'General' },
    optionA: option('Benchmark Fighter A'),
    optionB: option('Benchmark Fighter B'),
  };
  await redis.set(KEYS.currentPoll, JSON.stringify(current), 'EX', TTL.currentPoll);
  await redis.set(KEYS.fight(current.id), JSON.stringify(newFight(current.id)), 'EX', TTL.fight);
  tier.emit('poll-update', current);
  return current;
}

/** The seed's getCurrentPoll: the cache, else the "database", re-cached and announced to the tier. */
async function currentPoll(): Promise<SeedPoll | null> {
  const cached = await redis.get(KEYS.currentPoll);
  if (cached) return JSON.parse(cached) as SeedPoll;
  if (!current) return null;
  // The seed's database holds every vote (inserted beside the counter): the counters stand in for its counts.
  for (const o of [current.optionA, current.optionB]) o._count.votes = Number((await redis.get(KEYS.votes(current.id, o.id))) ?? 0);
  await redis.set(KEYS.currentPoll, JSON.stringify(current), 'EX', TTL.currentPollOnRead);
  tier.emit('poll-update', current);
  return current;
}

async function vote(pollId: string, optionId: string): Promise<void> {
  const count = await redis.incr(KEYS.votes(pollId, optionId));
  const cached = await redis.get(KEYS.currentPoll);
  if (!cached) return;
  const poll = JSON.parse(cached) as SeedPoll;
  if (poll.id !== pollId) return;
  if (poll.optionA.id === optionId) poll.optionA._count.votes = count;
  else if (poll.optionB.id === optionId) poll.optionB._count.votes = count;
  await redis.set(KEYS.currentPoll, JSON.stringify(poll), 'EX', TTL.currentPoll);
  tier.emit('vote', { pollId, optionA_votes: poll.optionA._count.votes, optionB_votes: poll.optionB._count.votes });
}

const VoteBody = z.object({ pollId: z.string().min(1), optionId: z.string().min(1) });

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const send = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const server = http.createServer((req, res) => {
  void (async () => {
    if (req.method === 'GET' && req.url === '/api/poll') return send(res, 200, { current: await currentPoll(), previous: null });
    if (req.method === 'POST' && req.url === '/api/poll/rotate') return send(res, 200, { success: true, poll: await rotate() });
    if (req.method === 'POST' && req.url === '/api/vote') {
      const body = VoteBody.safeParse(JSON.parse((await readBody(req)) || '{}'));
      if (!body.success) return send(res, 400, { error: 'Missing data' });
      await vote(body.data.pollId, body.data.optionId);
      return send(res, 200, {});
    }
    send(res, 404, { error: 'not found' });
  })().catch((e: unknown) => send(res, 500, { error: e instanceof Error ? e.message : String(e) }));
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  tier.disconnect();
  server.close();
  redis.disconnect();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
stopWithParent(stop);

tier.once('connect', () => server.listen(env.SEED_API_PORT, '127.0.0.1', () => process.stdout.write('ready\n')));
