/**
 * bench:stranger: one stranger with a script, against a running edge. A client that keeps no cookies votes for one
 * side as fast as it can, from one address, for a whole round, and the script prints how many of its votes counted.
 * Each request is a new voter: where the edge asks for proof of work the client solves it (altcha-lib, as a browser
 * would, timed in the figures); BENCH_PATH=form takes the no-JavaScript path instead (fetch `/`, post its ticket).
 * By default it starts its own edge with the production limits (every local caller is 127.0.0.1, one address);
 * BENCH_API_URL points it at a running one instead (any version: the same command measures before and after).
 *
 *   npm run bench:stranger            # BENCH_PATH=json|form BENCH_CONCURRENCY=4 BENCH_ROUND_SECONDS=180
 *   BENCH_API_URL=http://127.0.0.1:8787 BENCH_OPERATOR_TOKEN=… npm run bench:stranger
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PollResponse } from '@stream-fighter/core';
import { z } from 'zod';
import { altchaPayload } from '@stream-fighter/devstack/stack/solve-challenge';
import { startPlainPoll } from './poll.ts';
import { ownStack } from './target.ts';

const Knobs = z.object({
  BENCH_API_URL: z.url().optional(),
  BENCH_PORT: z.coerce.number().int().min(1024).max(65000).default(8940),
  BENCH_OPERATOR_TOKEN: z.string().optional(),
  BENCH_PATH: z.enum(['json', 'form']).default('json'),
  BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  BENCH_ROUND_SECONDS: z.coerce.number().int().min(15).max(1800).default(180),
});

const say = (line: string) => process.stdout.write(`${line}\n`);

async function poll(api: string): Promise<PollResponse> {
  const res = await fetch(`${api}/api/poll`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET /api/poll: ${res.status}`);
  return (await res.json()) as PollResponse;
}

async function oneVote(api: string, path: 'json' | 'form', pollId: string): Promise<{ code: string; solveMs: number }> {
  let solveMs = 0;
  if (path === 'form') {
    const page = await (await fetch(`${api}/`, { signal: AbortSignal.timeout(10_000) })).text();
    const ticket = /name="ticket"[^>]*value="([^"]*)"/.exec(page)?.[1] ?? '';
    const res = await fetch(`${api}/api/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ option: 'A', pollId, ticket }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    return { code: await codeOf(res), solveMs };
  }
  const send = (extra: Record<string, string>) =>
    fetch(`${api}/api/vote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ option: 'A', pollId, ...extra }), signal: AbortSignal.timeout(10_000) });
  let res = await send({});
  if (res.status === 401) {
    await res.body?.cancel();
    const started = performance.now();
    const altcha = await altchaPayload(api);
    solveMs = performance.now() - started;
    res = await send({ altcha });
  }
  return { code: await codeOf(res), solveMs };
}

async function codeOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return res.ok ? 'accepted' : `${res.status} ${body.error?.code ?? '?'}`;
}

function operatorToken(k: z.infer<typeof Knobs>): string {
  const token = k.BENCH_OPERATOR_TOKEN ?? process.env.OPERATOR_TOKEN;
  if (token) return token;
  try {
    return (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../.data/secrets.json'), 'utf8')) as { OPERATOR_TOKEN: string }).OPERATOR_TOKEN;
  } catch {
    throw new Error('set BENCH_OPERATOR_TOKEN (or OPERATOR_TOKEN): the round is rotated so it holds only this client\'s votes');
  }
}

async function main(): Promise<void> {
  const k = Knobs.parse(Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('BENCH_'))));
  let close = async () => {};
  const target = k.BENCH_API_URL
    ? { api: k.BENCH_API_URL.replace(/\/+$/, ''), operatorToken: operatorToken(k), notes: [] as string[] }
    : await ownStack(
        { portBase: k.BENCH_PORT, backends: 'auto', redisUrl: 'redis://127.0.0.1:6379/13', postgresUrl: 'postgres://postgres@127.0.0.1:5432/test', ipLimitPer10s: 60, productionLimits: true, verbose: false, say },
        (c) => (close = c),
      );
  try {
    for (const n of target.notes) say(n);
    await hammer(k, target.api, target.operatorToken);
  } finally {
    await close();
  }
}

async function hammer(k: z.infer<typeof Knobs>, api: string, token: string): Promise<void> {
  // A plain poll (no KO: on a fight at a small audience five votes end the round), of the usual length.
  const round = (await startPlainPoll(api, token, say, k.BENCH_ROUND_SECONDS)).round;
  say(`bench:stranger  ${api}, path ${k.BENCH_PATH}, ${k.BENCH_CONCURRENCY} in flight, round ${round.pollId} (${Math.round((round.endsAt - Date.now()) / 1000)} s left)`);
  const counts = new Map<string, number>();
  const solves: number[] = [];
  let live = true;
  const started = Date.now();
  const watcher = (async () => {
    while (live) {
      await new Promise((r) => setTimeout(r, 1_000));
      const { round: now } = await poll(api).catch(() => ({ round: null }));
      if (!now || now.pollId !== round.pollId || now.phase !== 'live') live = false;
      if (Math.round((Date.now() - started) / 1000) % 30 === 0) say(`  ${Math.round((Date.now() - started) / 1000)} s: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    }
  })();
  await Promise.all(
    Array.from({ length: k.BENCH_CONCURRENCY }, async () => {
      while (live) {
        const r = await oneVote(api, k.BENCH_PATH, round.pollId).catch((e: unknown) => ({ code: `error ${e instanceof Error ? e.message : String(e)}`.slice(0, 60), solveMs: 0 }));
        counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
        if (r.solveMs) solves.push(r.solveMs);
      }
    }),
  );
  await watcher;
  const { round: after } = await poll(api);
  const tallied = after.pollId === round.pollId ? after.votes.A ?? 0 : null;
  say(`requests ${[...counts.values()].reduce((a, b) => a + b, 0)} in ${Math.round((Date.now() - started) / 1000)} s: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  if (solves.length) say(`proof of work: ${solves.length} solves, median ${[...solves].sort((a, b) => a - b)[Math.floor(solves.length / 2)]!.toFixed(0)} ms (Node, one core)`);
  say(`accepted votes in the round: ${counts.get('accepted') ?? 0}${tallied !== null ? ` (tally for A: ${tallied})` : ''}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:stranger failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
