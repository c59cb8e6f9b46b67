/**
 * `npm run fuzz`: thousands of hostile requests against a running stack (`npm start`), across every route. It
 * prints the seed (set FUZZ_SEED to replay a run), a table of statuses, and fails on any 5xx, any 4xx without a
 * JSON error body, any answer cut off, and any change to the room's state that the clock cannot explain.
 */
import { Agent } from 'undici';
import { z } from 'zod';
import { formatReport, runFuzz } from '@stream-fighter/devstack/fuzz/run';
import { loadRootEnv, operatorToken } from './verify/config.ts';

const FuzzEnv = z.object({
  FUZZ_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(8787),
  FUZZ_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).optional(),
  FUZZ_COUNT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  FUZZ_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  FUZZ_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  ROOM_NAME: z.string().regex(/^[a-z0-9-]{1,32}$/).default('main'),
});

async function main(): Promise<number> {
  loadRootEnv();
  const parsed = FuzzEnv.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    return 2;
  }
  const env = parsed.data;
  const base = (env.FUZZ_API_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '');
  const seed = env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32);
  const { token, source } = operatorToken(process.env, base);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`fuzz: ${env.FUZZ_COUNT} requests to ${base}, seed ${seed} (FUZZ_SEED=${seed} replays it), operator token: ${source ?? 'none (operator routes only without one)'}`);

  const health = await fetch(`${base}/api/poll`).catch((e: unknown) => e as Error);
  if (health instanceof Error || !health.ok) {
    out(`no stack answers at ${base}/api/poll (${health instanceof Error ? health.message : health.status}): start it with \`npm start\`, or set FUZZ_API_URL`);
    return 2;
  }
  const options = {
    send: (req: Request) => fetch(req),
    resend: async (req: Request) => {
      const fresh = new Agent();
      try {
        const res = await fetch(req, { dispatcher: fresh } as unknown as RequestInit);
        // Read here: the agent closes when this returns.
        const body = [204, 205, 304].includes(res.status) ? null : await res.arrayBuffer();
        return new Response(body, res);
      } finally {
        await fresh.close();
      }
    },
    base,
    seed,
    count: env.FUZZ_COUNT,
    ctx: { operatorToken: token ?? null, nowSec: Math.floor(Date.now() / 1000), room: env.ROOM_NAME, sitePage: true },
    concurrency: env.FUZZ_CONCURRENCY,
    batchSize: 500,
    timeoutMs: env.FUZZ_TIMEOUT_MS,
    progress: (done: number) => process.stderr.write(`  … ${done}/${env.FUZZ_COUNT}\r`),
  };
  const report = await runFuzz(options);
  out(formatReport(options, report));
  const fivexx = [...report.tally.statuses.keys()].some((s) => s.startsWith('5'));
  const pass = report.failures.length === 0 && report.stateChanges.length === 0 && !fivexx;
  out(pass ? 'PASS' : 'FAIL');
  return pass ? 0 : 1;
}

process.exitCode = await main();
