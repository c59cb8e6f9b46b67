/**
 * The local stack: the Neon-HTTP and Upstash-REST stand-ins (or the real services when configured), the
 * database migrations, then the Worker with its room: by default the deployed bundle in plain workerd
 * (edge-workerd.ts), or under `wrangler dev` with EDGE_RUNNER=wrangler (live reload). Used by `npm start`, the
 * benchmarks and the end-to-end tests.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { startNeonHttp } from '../standins/neon-http.ts';
import { startUpstashRest } from '../standins/upstash-rest.ts';
import { migrate } from '@stream-fighter/drizzle/migrate';
import { buildSite } from '@stream-fighter/web/scripts/build-site.ts';
import { EnvSchema } from '@stream-fighter/edge/src/env.ts';
import { startChild, stopChildren } from './children.ts';
import { PERSIST_DIR, startWorkerdEdge, WRANGLER_BIN } from './edge-workerd.ts';
import { REPO_ROOT } from './repo-root.ts';
import { localSecrets } from './secrets.ts';
import { EdgeRunner, isNeonUrl, type LocalSettings } from './settings.ts';

export interface Stack {
  api: string;
  /** What runs the Worker. */
  runner: EdgeRunner;
  operatorToken: string;
  generatedOperatorToken: boolean;
  rendererToken: string;
  /** The one room the Worker serves (its ROOM_NAME): what viewers, the render node and the chat bridge join. */
  room: string;
  /** The Worker's BRIDGE_TOKEN, for a chat bridge. */
  bridgeToken: string;
  backends: { postgres: string; redis: string };
  stop(): Promise<void>;
}

type Log = (event: string, fields?: Record<string, unknown>) => void;

export interface StackOptions {
  /** A Worker bundle built beforehand (`buildWorkerBundle`) instead of one built for this stack (workerd runner only). */
  edgeBundleDir?: string | undefined;
}

export async function startStack(s: LocalSettings, log: Log, extraVars: Record<string, string> = {}, opts: StackOptions = {}): Promise<Stack> {
  // Before anything starts: a room name the Worker would refuse fails here, with nothing to clean up.
  const room = workerRoom({ ...workerPassThrough(process.env), ...extraVars });
  const dataDir = resolve(REPO_ROOT, s.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const secrets = localSecrets(dataDir, { OPERATOR_TOKEN: s.OPERATOR_TOKEN, VOTER_SECRET: s.VOTER_SECRET, RENDERER_TOKEN: s.RENDERER_TOKEN, BRIDGE_TOKEN: s.BRIDGE_TOKEN });
  const closers: Array<() => Promise<void>> = [];

  // The site ships as the Worker's static assets (wrangler.toml [assets]): build it when its sources changed.
  await buildSite({ log });

  // Postgres: Neon directly, or the local Neon-HTTP endpoint in front of a plain Postgres or PGlite.
  let databaseUrl = s.DATABASE_URL ?? 'postgres://local@pglite/streamfighter';
  let neonEndpoint: string | undefined;
  let postgres: string;
  if (s.DATABASE_URL && isNeonUrl(s.DATABASE_URL)) {
    postgres = 'neon';
  } else {
    const neon = await startNeonHttp({
      port: s.NEON_HTTP_PORT,
      ...(s.DATABASE_URL ? { databaseUrl: s.DATABASE_URL } : { dataDir: join(dataDir, 'pglite') }),
      log: (o) => log('neon-http', o),
    });
    closers.push(neon.close);
    neonEndpoint = neon.url;
    postgres = s.DATABASE_URL ? 'postgres (via local Neon endpoint)' : `pglite (${join(s.DATA_DIR, 'pglite')})`;
  }
  await migrate({ databaseUrl, ...(neonEndpoint ? { endpoint: neonEndpoint } : {}), log: (e) => log('migrate', e) });

  // Redis: Upstash directly, or the local Upstash-REST endpoint in front of a plain Redis or the embedded store.
  let upstashUrl = s.UPSTASH_REDIS_REST_URL;
  let upstashToken = s.UPSTASH_REDIS_REST_TOKEN;
  let redis = 'upstash';
  if (!upstashUrl) {
    const up = await startUpstashRest({ port: s.UPSTASH_PORT, token: secrets.UPSTASH_TOKEN, ...(s.REDIS_URL ? { redisUrl: s.REDIS_URL } : {}), log: (o) => log('upstash-rest', o) });
    closers.push(up.close);
    upstashUrl = up.url;
    upstashToken = secrets.UPSTASH_TOKEN;
    redis = s.REDIS_URL ? 'redis (via local Upstash endpoint)' : 'embedded (in memory)';
  }

  // The Worker's variables, over wrangler.toml's [vars]. They go in generated files (0600) rather than on the
  // command line, where any user could read them in the process list.
  const vars: Record<string, string> = {
    // Every other Worker setting found in the environment (or .env) reaches the Worker as it is.
    ...workerPassThrough(process.env),
    OPERATOR_TOKEN: secrets.OPERATOR_TOKEN,
    VOTER_SECRET: secrets.VOTER_SECRET,
    RENDERER_TOKEN: secrets.RENDERER_TOKEN,
    BRIDGE_TOKEN: secrets.BRIDGE_TOKEN,
    DATABASE_URL: databaseUrl,
    UPSTASH_REDIS_REST_URL: upstashUrl,
    UPSTASH_REDIS_REST_TOKEN: upstashToken!,
    SITE_ORIGINS: `http://127.0.0.1:${s.PORT},http://localhost:${s.PORT}`,
    ...(neonEndpoint ? { NEON_HTTP_ENDPOINT: neonEndpoint } : {}),
    ...(s.OPENROUTER_API_KEY ? { OPENROUTER_API_KEY: s.OPENROUTER_API_KEY } : {}),
    ...(s.AI_BASE_URL ? { AI_BASE_URL: s.AI_BASE_URL } : {}),
    ...(s.AI_MODEL ? { AI_MODEL: s.AI_MODEL } : {}),
    ...(s.TURNSTILE_SECRET ? { TURNSTILE_SECRET: s.TURNSTILE_SECRET } : {}),
    ...(s.ROUND_SECONDS ? { ROUND_SECONDS: String(s.ROUND_SECONDS) } : {}),
    ...extraVars,
  };

  const runner = edgeRunner(s);
  const api = `http://127.0.0.1:${s.PORT}`;
  const stop = async () => {
    await stopChildren();
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const child =
      runner === 'wrangler'
        ? startWranglerDev(s, dataDir, vars)
        : await startWorkerdEdge({ wranglerToml: WRANGLER_TOML, port: s.PORT, dataDir, vars, logLevel: s.LOG_LEVEL, log, ...(opts.edgeBundleDir ? { bundleDir: opts.edgeBundleDir } : {}) });
    await waitForHealth(`${api}/api/health`, child, runner, 90_000);
    log('edge.ready', { runner, url: api, ...(runner === 'workerd' ? { liveReload: 'EDGE_RUNNER=wrangler (npm run dev:edge)' } : {}) });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    api,
    runner,
    operatorToken: secrets.OPERATOR_TOKEN,
    generatedOperatorToken: secrets.generatedOperatorToken,
    rendererToken: secrets.RENDERER_TOKEN,
    room,
    bridgeToken: secrets.BRIDGE_TOKEN,
    backends: { postgres, redis },
    stop,
  };
}

export const WRANGLER_TOML = join(REPO_ROOT, 'wrangler.toml');

/** The settings' EDGE_RUNNER, else the environment's, else workerd. */
export function edgeRunner(s: LocalSettings, env: NodeJS.ProcessEnv = process.env): EdgeRunner {
  if (s.EDGE_RUNNER) return s.EDGE_RUNNER;
  const parsed = EdgeRunner.safeParse(env.EDGE_RUNNER || 'workerd');
  if (!parsed.success) throw new Error(`Invalid configuration:\n  EDGE_RUNNER: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** `wrangler dev`: bundles and runs the same Worker, and reloads it when its sources change. */
function startWranglerDev(s: LocalSettings, dataDir: string, vars: Record<string, string>): ChildProcess {
  const envFile = join(dataDir, 'worker.env');
  writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
  return startChild(
    'edge',
    process.execPath,
    [WRANGLER_BIN, 'dev', '--config', WRANGLER_TOML, '--ip', '127.0.0.1', '--port', String(s.PORT), '--env-file', envFile,
      '--persist-to', join(dataDir, PERSIST_DIR), '--show-interactive-dev-session=false', '--log-level', s.LOG_LEVEL],
    { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  );
}

/**
 * The one room the Worker serves (edge/src/room/gate.ts refuses every other name): ROOM_NAME in `vars` (the
 * variables the stack passes, or the environment they come from), else wrangler.toml's, else the Worker's default.
 */
export function workerRoom(vars: Record<string, string | undefined>): string {
  const toml = parseToml(readFileSync(WRANGLER_TOML, 'utf8')) as { vars?: Record<string, unknown> };
  const name = vars.ROOM_NAME || toml.vars?.ROOM_NAME;
  const parsed = EnvSchema.shape.ROOM_NAME.safeParse(name);
  if (!parsed.success) throw new Error(`ROOM_NAME ${JSON.stringify(name)}: ${parsed.error.issues[0]?.message ?? 'not a room name'}`);
  return parsed.data;
}

/** The Worker's own variables (its config schema's keys) that are set in `env`. */
export function workerPassThrough(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = Object.keys(EnvSchema.shape);
  return Object.fromEntries(names.flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
}

async function waitForHealth(url: string, child: ChildProcess, runner: EdgeRunner, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the edge (${runner === 'wrangler' ? 'wrangler dev' : 'workerd'}) exited with ${child.signalCode ?? `code ${child.exitCode}`}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the edge did not become healthy within ${timeoutMs / 1000} s: ${last}`);
}
