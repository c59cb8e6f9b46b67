/**
 * What the benchmark fires at: its own local edge (startStack on its own ports, its own data folder, the
 * machine's Redis/Postgres when they answer, the embedded stand-ins otherwise), or an edge already running at
 * BENCH_API_URL. Everything it creates is removed by close(), which is safe to call more than once.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { stopChildren } from '@stream-fighter/devstack/stack/children';
import { startStack } from '@stream-fighter/devstack/stack/stack';
import { LocalSettings } from '@stream-fighter/devstack/stack/settings';
import { emptyRedisDatabase, freshPostgresDatabase, reachable } from '@stream-fighter/devstack/test-support/real-servers';

export interface Target {
  api: string;
  operatorToken: string;
  /** Known when the benchmark started the edge: voter tokens are then signed locally. */
  voterSecret: string | null;
  /** Human-readable lines: where votes go and which backends hold the data. */
  notes: string[];
  /** The Upstash stand-in, when the benchmark started it: the profile times it on its own. */
  upstash: { url: string; token: string } | null;
  close(): Promise<void>;
}

export interface OwnStackOptions {
  portBase: number;
  backends: 'auto' | 'real' | 'embedded';
  redisUrl: string;
  postgresUrl: string;
  ipLimitPer10s: number;
  /** VOTE_SHARDS of the edge (0: votes go to the room itself). */
  voteShards?: number;
  /** Keep the per-address limits at the production defaults (bench:stranger measures them). */
  productionLimits?: boolean;
  /** Show the edge's line per request (tens of thousands of them). */
  verbose: boolean;
  say: (line: string) => void;
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The largest the Worker's schema allows: a rep sends tens of thousands of votes into one round from one address. */
const VOTES_PER_ADDRESS_PER_ROUND = 10_000_000;

export function remoteTarget(api: string, operatorToken: string, voterSecret: string | null): Target {
  const notes = [`target      ${api} (already running; its own backends and rate limits)`];
  return { api: api.replace(/\/+$/, ''), operatorToken, voterSecret, notes, upstash: null, close: async () => {} };
}

/** Starts the local edge. `register` receives the cleanup as soon as there is something to clean up (Ctrl-C). */
export async function ownStack(o: OwnStackOptions, register: (close: () => Promise<void>) => void): Promise<Target> {
  const cleanups: Array<() => Promise<void>> = [];
  // One shared promise: a Ctrl-C and the normal end may both ask, and both must wait for the whole cleanup.
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      for (const c of cleanups.reverse()) await c().catch((e: unknown) => o.say(`cleanup failed: ${String(e)}`));
    })());
  register(close);

  const dataDir = `.data/bench-${randomBytes(4).toString('hex')}`;
  cleanups.push(async () => rmSync(resolve(ROOT, dataDir), { recursive: true, force: true }));
  const wantReal = o.backends !== 'embedded';
  const realRedis = wantReal && (await reachable(o.redisUrl));
  const realPostgres = wantReal && (await reachable(o.postgresUrl));
  if (o.backends === 'real' && !(realRedis && realPostgres)) throw new Error(`BENCH_BACKENDS=real but Redis (${o.redisUrl}) or Postgres (${o.postgresUrl}) does not answer`);

  if (realRedis) await emptyRedisDatabase(Number(new URL(o.redisUrl).pathname.slice(1) || 0), o.redisUrl);
  let databaseUrl: string | undefined;
  if (realPostgres) {
    const db = await freshPostgresDatabase('bench', o.postgresUrl);
    cleanups.push(db.drop);
    databaseUrl = db.url;
  }

  const settings = LocalSettings.parse({
    PORT: o.portBase,
    NEON_HTTP_PORT: o.portBase + 1,
    UPSTASH_PORT: o.portBase + 2,
    DATA_DIR: dataDir,
    ROUND_SECONDS: 1800,
    // A line per request from the edge costs CPU and buries the figures.
    LOG_LEVEL: o.verbose ? 'info' : 'warn',
    OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
    VOTER_SECRET: randomBytes(24).toString('base64url'),
    ...(realRedis ? { REDIS_URL: o.redisUrl } : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  // Only warnings and errors of the stand-ins: they log every request at debug level.
  const log = (event: string, fields: Record<string, unknown> = {}) => {
    if (fields.level === 'warn' || fields.level === 'error') o.say(`[stack] ${JSON.stringify({ event, ...fields })}`);
  };
  cleanups.push(() => stopChildren()); // covers a Ctrl-C while the edge is still starting
  // Every simulated voter comes from 127.0.0.1, i.e. one per-IP bucket: the limit is raised, not switched off.
  // So is the per-address cap on votes per round (at its largest); sessions are signed here, not minted by the edge.
  const raised = { RATE_LIMIT_IP_PER_10S: String(o.ipLimitPer10s), VOTES_PER_ADDRESS_PER_ROUND: String(VOTES_PER_ADDRESS_PER_ROUND) };
  const vars: Record<string, string> = { ...(o.productionLimits ? {} : raised), ...(o.voteShards ? { VOTE_SHARDS: String(o.voteShards) } : {}) };
  const stack = await startStack(settings, log, vars);
  cleanups.push(stack.stop);
  return {
    api: stack.api,
    operatorToken: stack.operatorToken,
    voterSecret: settings.VOTER_SECRET!,
    notes: [
      `target      ${stack.api} (own stack, ${stack.runner === 'wrangler' ? 'wrangler dev' : 'workerd'}, data in ${dataDir})`,
      `redis       ${stack.backends.redis}${realRedis ? ` ${o.redisUrl} (flushed)` : ''}`,
      `shards      ${o.voteShards ? `VOTE_SHARDS=${o.voteShards}: votes through ${o.voteShards} counting shards` : 'none: votes go to the room itself'}`,
      `postgres    ${stack.backends.postgres}${databaseUrl ? ` ${redact(databaseUrl)} (fresh, dropped afterwards)` : ''}`,
      o.productionLimits
        ? 'limits      the production defaults (every caller here is 127.0.0.1, one address)'
        : `rate limit  per-IP raised to ${o.ipLimitPer10s}/10 s and votes per address per round to ${VOTES_PER_ADDRESS_PER_ROUND} (all simulated voters share 127.0.0.1); per-voter limit and dedupe unchanged`,
    ],
    upstash: upstashStandIn(settings.UPSTASH_PORT, dataDir),
    close,
  };
}

function upstashStandIn(port: number, dataDir: string): { url: string; token: string } {
  const secrets = JSON.parse(readFileSync(resolve(ROOT, dataDir, 'secrets.json'), 'utf8')) as { UPSTASH_TOKEN: string };
  return { url: `http://127.0.0.1:${port}`, token: secrets.UPSTASH_TOKEN };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
