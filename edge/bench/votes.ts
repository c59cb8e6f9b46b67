/**
 * `npm run bench:votes`: how many votes a second the edge accepts, with rate limits and dedupe on, and whether
 * every accepted vote is counted exactly once. A benchmark that prints figures, not a test. Knobs: see Knobs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Agent } from 'undici';
import { z } from 'zod';
import { cpuMs, descendants } from '@stream-fighter/devstack/stack/process-tree';
import { b64url } from '../src/http/hmac.ts';
import { signVoter } from '../src/voter/token.ts';
import { runLoad, type LoadResult } from './load.ts';
import { getPoll, startPlainPoll, totalVotes } from './poll.ts';
import { measure, profileTable, type Phase, type PhaseResult } from './profile.ts';
import { fmt, median, quantile, table } from './stats.ts';
import { ownStack, remoteTarget, type Target } from './target.ts';

const int = (dflt: number, min = 1) => z.coerce.number().int().min(min).default(dflt);
const Knobs = z.object({
  BENCH_VOTERS: int(60_000),
  BENCH_CONCURRENCY: int(128),
  BENCH_DUP_FRACTION: z.coerce.number().min(0).max(1).default(0.1),
  BENCH_SECONDS: int(30),
  BENCH_WARMUP: int(1_000, 0),
  BENCH_REPS: int(3),
  BENCH_PORT: int(8797), // the stack uses it and the next two
  BENCH_BACKENDS: z.enum(['auto', 'real', 'embedded']).default('auto'),
  BENCH_REDIS_URL: z.string().default('redis://127.0.0.1:6379/12'),
  BENCH_POSTGRES_URL: z.string().default('postgres://postgres@127.0.0.1:5432/test'),
  BENCH_IP_LIMIT: int(100_000), // the Worker's schema allows up to 100 000 per 10 s
  BENCH_API_URL: z.url().optional(),
  BENCH_OPERATOR_TOKEN: z.string().optional(),
  /** With BENCH_API_URL: that edge's VOTER_SECRET, to sign sessions here (default: .data/secrets.json for a local edge). */
  BENCH_VOTER_SECRET: z.string().optional(),
  BENCH_VERBOSE: z.stringbool().default(false),
  /** After the reps: time requests that stop at different depths of the vote path (see profile.ts). */
  BENCH_PROFILE: z.stringbool().default(false),
  BENCH_PROFILE_SECONDS: int(8),
  /**
   * VOTE_SHARDS of the edge the bench starts, one run per value: 0 sends votes to the room itself, N through N
   * counting shards (edge/src/room/vote-shard.ts). Ignored with BENCH_API_URL.
   */
  BENCH_SHARDS: z
    .string()
    .default('0,8')
    .transform((v) => v.split(',').map((x) => Number(x.trim())))
    .pipe(z.array(z.number().int().min(0).max(64)).min(1)),
});
type Knobs = z.infer<typeof Knobs>;

const TARGET_PER_S = 3_000;
const say = (line = '') => process.stdout.write(`${line}\n`);

interface Rep {
  load: LoadResult;
  tallyDelta: number;
  acceptedIncludingWarmup: number;
  /** CPU time of the edge's workerd over the rep's load, ms; null for an edge not started here. */
  edgeCpuMs: number | null;
}

/** CPU time used so far by the workerd this bench started (the Worker and every Durable Object), ms. */
function ownWorkerdCpuMs(): number {
  return descendants(process.pid).filter((p) => /workerd/.test(p.cmd) && !/wrangler/.test(p.cmd)).reduce((a, p) => a + (cpuMs(p.pid) ?? 0), 0);
}

async function mint(secret: string | null, count: number): Promise<Array<string | null>> {
  if (!secret) return new Array<string | null>(count).fill(null);
  const now = Math.floor(Date.now() / 1000);
  // Random ids with the prefix of sessions minted with proof of work (voter/derived-id.ts), as the edge would give:
  // a bare random id starting "f-" would be taken for a no-JavaScript session, with its cap of 3 per address.
  return Promise.all(Array.from({ length: count }, () => signVoter(secret, `p-${b64url(crypto.getRandomValues(new Uint8Array(12)))}`, now)));
}

/**
 * A new voter needs a solved proof-of-work challenge, far too slow to mint tens of thousands of voters: the bench
 * signs sessions itself, so it needs the edge's VOTER_SECRET. For the local `npm start` it is in .data/secrets.json.
 */
function localVoterSecret(api: string): string {
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(api).hostname);
  const file = resolve(import.meta.dirname, '../../.data/secrets.json');
  if (local && existsSync(file)) {
    const secret = (JSON.parse(readFileSync(file, 'utf8')) as { VOTER_SECRET?: unknown }).VOTER_SECRET;
    if (typeof secret === 'string') return secret;
  }
  throw new Error(`BENCH_API_URL needs BENCH_VOTER_SECRET (that edge's VOTER_SECRET${local ? `; ${file} has none` : ''}): new voters need proof of work, so the bench signs its own sessions`);
}

async function runRep(k: Knobs, target: Target, dispatcher: Agent, pollId: string, options: string[], n: number, signal: AbortSignal): Promise<Rep> {
  const tokens = await mint(target.voterSecret, k.BENCH_WARMUP + k.BENCH_VOTERS);
  const before = await getPoll(target.api);
  const common = { dispatcher, api: target.api, pollId, options, dupFraction: k.BENCH_DUP_FRACTION, concurrency: k.BENCH_CONCURRENCY, signal };
  const warm = await runLoad({ ...common, tokens: tokens.slice(0, k.BENCH_WARMUP), timeLimitMs: k.BENCH_SECONDS * 1000 });
  say(`  rep ${n}: warm-up ${warm.sent} requests (${warm.accepted} accepted), not in the figures`);
  const cpuBefore = target.voterSecret && !k.BENCH_API_URL ? ownWorkerdCpuMs() : null;
  const load = await runLoad({
    ...common,
    tokens: tokens.slice(k.BENCH_WARMUP),
    timeLimitMs: k.BENCH_SECONDS * 1000,
    onProgress: (p) => say(`  rep ${n}: ${fmt(p.elapsedS, 0).padStart(3)} s  sent ${String(p.sent).padStart(6)}  accepted ${String(p.accepted).padStart(6)}  now ${String(p.perSecond).padStart(5)}/s`),
  });
  const after = await getPoll(target.api);
  if (after.round.pollId !== pollId || after.round.phase !== 'live') throw new Error(`the bench poll is no longer live (${after.round.pollId} ${after.round.phase})`);
  const edgeCpuMs = cpuBefore === null ? null : ownWorkerdCpuMs() - cpuBefore;
  return { load, tallyDelta: totalVotes(after) - totalVotes(before), acceptedIncludingWarmup: warm.accepted + load.accepted, edgeCpuMs };
}

function figures(r: Rep) {
  const l = r.load;
  return {
    perSecond: l.accepted / (l.durationMs / 1000),
    p50: quantile(l.latencies, 0.5),
    p95: quantile(l.latencies, 0.95),
    p99: quantile(l.latencies, 0.99),
    cpuPerVote: r.edgeCpuMs === null ? Number.NaN : r.edgeCpuMs / Math.max(1, l.accepted),
    s200: l.byStatus[200],
    s409: l.byStatus[409],
    s429: l.byStatus[429],
    other: l.byStatus.other,
    exact: r.tallyDelta === r.acceptedIncludingWarmup && l.duplicatesAccepted === 0,
  };
}

interface Summary {
  exact: boolean;
  perSecond: number;
  p50: number;
  p95: number;
  cpuPerVote: number;
}

function report(reps: Rep[]): Summary {
  const rows = reps.map(figures);
  const med = (f: (x: (typeof rows)[number]) => number) => median(rows.map(f));
  const line = (name: string, f: (x: (typeof rows)[number]) => number, digits: number) => [name, ...rows.map((r) => fmt(f(r), digits)), fmt(med(f), digits)];
  say();
  say(table([
    ['', ...rows.map((_, i) => `rep ${i + 1}`), 'median'],
    line('accepted votes/s', (r) => r.perSecond, 0),
    line('latency p50 ms', (r) => r.p50, 1),
    line('latency p95 ms', (r) => r.p95, 1),
    line('latency p99 ms', (r) => r.p99, 1),
    line('edge CPU ms/vote', (r) => r.cpuPerVote, 3),
    line('status 200', (r) => r.s200, 0),
    line('status 409', (r) => r.s409, 0),
    line('status 429', (r) => r.s429, 0),
    line('status other', (r) => r.other, 0),
  ]));
  say('edge CPU ms/vote: CPU time (user + system, /proc) of the local workerd (Worker, room, shards) per accepted vote: a cost other load does not change');
  say();
  reps.forEach((r, i) => {
    const f = rows[i]!;
    say(`exactly-once rep ${i + 1}: ${f.exact ? 'PASS' : 'FAIL'}  tally +${r.tallyDelta}, accepted ${r.acceptedIncludingWarmup} (warm-up included), duplicates ${r.load.duplicatesSent} sent / ${r.load.duplicatesAccepted} accepted`);
    for (const [what, count] of r.load.unexpected) say(`  unexpected: ${what} x${count}`);
  });
  const all = rows.every((r) => r.exact);
  const rate = med((r) => r.perSecond);
  say(`exactly-once: ${all ? 'PASS' : 'FAIL'}`);
  say(`throughput:   median ${fmt(rate, 0)} accepted votes/s (target ${TARGET_PER_S}: ${rate >= TARGET_PER_S ? 'met' : 'NOT met'})`);
  return { exact: all, perSecond: rate, p50: med((r) => r.p50), p95: med((r) => r.p95), cpuPerVote: med((r) => r.cpuPerVote) };
}

async function profile(k: Knobs, target: Target, dispatcher: Agent, pollId: string, votedTokens: string[]): Promise<void> {
  const secs = k.BENCH_PROFILE_SECONDS;
  say(`\nprofile: ${secs} s per phase, ${k.BENCH_CONCURRENCY} in flight`);
  const json = { 'content-type': 'application/json' };
  const fresh = async () => (await mint(target.voterSecret, 4_000 * secs)).filter((t): t is string => t !== null);
  const voteAs = (tokens: string[], poll: string) => ({
    url: `${target.api}/api/vote`,
    method: 'POST' as const,
    headers: (i: number) => ({ ...json, 'x-voter-token': tokens[i % tokens.length]! }),
    body: (i: number) => JSON.stringify({ option: 'ABCD'[i % 4], pollId: poll }),
  });
  const phases: Array<Phase | null> = [
    { name: 'poll read', path: 'GET /api/poll: Worker + room RPC, no Redis, no write', url: `${target.api}/api/poll`, method: 'GET', headers: () => ({}) },
    votedTokens.length > 0 && target.voterSecret
      ? { name: 'vote, duplicate', path: 'Worker + token check + room RPC + batched rate limits; refused by SQLite', ...voteAs(votedTokens, pollId) }
      : null,
    target.voterSecret ? { name: 'vote, stale poll', path: 'Worker + token check + room RPC; refused at once, no Redis, no write', ...voteAs(await fresh(), 'p_bench_stale') } : null,
    target.voterSecret ? { name: 'vote, accepted', path: '... + batched rate limits + SQLite insert + state write (the full path)', ...voteAs(await fresh(), pollId) } : null,
    target.upstash
      ? {
          name: 'stand-in only',
          path: 'POST /pipeline of 3 EXISTS to the Upstash stand-in (no Worker)',
          url: `${target.upstash.url}/pipeline`,
          method: 'POST',
          headers: () => ({ ...json, authorization: `Bearer ${target.upstash!.token}` }),
          body: (i: number) => JSON.stringify([['exists', `sf:bench:a${i}`], ['exists', `sf:bench:b${i}`], ['exists', `sf:bench:c${i}`]]),
        }
      : null,
  ];
  const rows: PhaseResult[] = [];
  for (const p of phases) if (p) rows.push(await measure(p, dispatcher, k.BENCH_CONCURRENCY, secs));
  say(profileTable(rows));
}

async function main(): Promise<number> {
  const k = Knobs.parse(Object.fromEntries(Object.entries(process.env).filter(([key, v]) => key.startsWith('BENCH_') && v !== '')));
  if (k.BENCH_API_URL && !k.BENCH_OPERATOR_TOKEN) throw new Error('BENCH_API_URL needs BENCH_OPERATOR_TOKEN (the poll is rotated to a plain 4-option poll)');
  const remoteSecret = k.BENCH_API_URL ? (k.BENCH_VOTER_SECRET ?? localVoterSecret(k.BENCH_API_URL)) : null;
  const aborter = new AbortController();
  let cleanup = async () => {};
  // Installed before anything starts: a Ctrl-C during start-up must not orphan wrangler/workerd.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (aborter.signal.aborted) return;
      say(`\n${sig}: stopping`);
      aborter.abort();
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    say(`bench:votes  voters ${k.BENCH_VOTERS}/rep, concurrency ${k.BENCH_CONCURRENCY}, duplicates ${k.BENCH_DUP_FRACTION * 100}%, warm-up ${k.BENCH_WARMUP}, limit ${k.BENCH_SECONDS} s/rep, ${k.BENCH_REPS} reps`);
    const settings = k.BENCH_API_URL ? [null] : k.BENCH_SHARDS;
    const summaries: Array<{ shards: number | null; summary: Summary }> = [];
    for (const shards of settings) {
      if (aborter.signal.aborted) break;
      say(`\n== ${shards === null ? 'the edge at BENCH_API_URL' : shards === 0 ? 'VOTE_SHARDS=0: votes to the room itself' : `VOTE_SHARDS=${shards}: votes through ${shards} counting shards`} ==`);
      const summary = await runSetting(k, shards, remoteSecret, aborter.signal, (close) => (cleanup = close));
      summaries.push({ shards, summary });
    }
    if (summaries.length > 1) {
      say('\nside by side (medians over the reps):');
      say(table([
        ['', ...summaries.map((s) => `VOTE_SHARDS=${s.shards}`)],
        ['accepted votes/s', ...summaries.map((s) => fmt(s.summary.perSecond, 0))],
        ['latency p50 ms', ...summaries.map((s) => fmt(s.summary.p50, 1))],
        ['latency p95 ms', ...summaries.map((s) => fmt(s.summary.p95, 1))],
        ['edge CPU ms/vote', ...summaries.map((s) => fmt(s.summary.cpuPerVote, 3))],
        ['exactly once', ...summaries.map((s) => (s.summary.exact ? 'PASS' : 'FAIL'))],
      ]));
    }
    return summaries.every((s) => s.summary.exact) ? 0 : 1;
  } finally {
    await cleanup();
  }
}

/** One edge (its own, with VOTE_SHARDS=shards, or the remote one when shards is null) and its reps. */
async function runSetting(k: Knobs, shards: number | null, remoteSecret: string | null, signal: AbortSignal, register: (close: () => Promise<void>) => void): Promise<Summary> {
  const target =
    shards === null
      ? remoteTarget(k.BENCH_API_URL!, k.BENCH_OPERATOR_TOKEN!, remoteSecret)
      : await ownStack(
          { portBase: k.BENCH_PORT, backends: k.BENCH_BACKENDS, redisUrl: k.BENCH_REDIS_URL, postgresUrl: k.BENCH_POSTGRES_URL, ipLimitPer10s: k.BENCH_IP_LIMIT, voteShards: shards, verbose: k.BENCH_VERBOSE, say },
          register,
        );
  const dispatcher = new Agent({ connections: k.BENCH_CONCURRENCY, pipelining: 1 });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= dispatcher.close().catch(() => {}).then(target.close));
  register(close);
  try {
    for (const n of target.notes) say(n);
    say('voters      sessions signed here with the edge VOTER_SECRET: no proof of work, no session limits (minting not timed)');
    const poll = await startPlainPoll(target.api, target.operatorToken, say);
    const options = poll.round.matchup.options.map((o) => o.id);
    say(`poll        ${poll.round.pollId} live, options ${options.join(' ')}, no KO`);
    const reps: Rep[] = [];
    for (let n = 1; n <= k.BENCH_REPS && !signal.aborted; n++) {
      reps.push(await runRep(k, target, dispatcher, poll.round.pollId, options, n, signal));
    }
    const summary = report(reps);
    if (k.BENCH_PROFILE && !signal.aborted) await profile(k, target, dispatcher, poll.round.pollId, reps.at(-1)!.load.acceptedTokens);
    return summary;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench:votes failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
