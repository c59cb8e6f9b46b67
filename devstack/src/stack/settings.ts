/**
 * The local stack's settings: environment variables (or a root .env), checked once at start. Anything not set
 * gets a local default, so `npm start` needs no accounts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './repo-root.ts';

export const EdgeRunner = z.enum(['workerd', 'wrangler'], { error: 'EDGE_RUNNER must be workerd or wrangler' });
export type EdgeRunner = z.infer<typeof EdgeRunner>;
const port = (dflt: number) => z.coerce.number().int().min(1).max(65_535).default(dflt);

export const LocalSettings = z.object({
  PORT: port(8787),
  NEON_HTTP_PORT: port(8788),
  UPSTASH_PORT: port(8789),
  /** The local RTMP receiver (node-media-server): RTMP ingest, and HTTP-FLV for the preview. */
  RTMP_PORT: port(1935),
  PREVIEW_PORT: port(8000),
  /** The render node's status server (/health, /metrics, /snapshot.png). */
  RENDER_HTTP_PORT: port(8790),
  /** The chat bridge's /health, when `npm start` runs one (a chat configured, or --demo). */
  CHAT_BRIDGE_HTTP_PORT: port(8791),
  /** Where the render node pushes. Set: that server, no local receiver. Unset: the local receiver. */
  RTMP_URL: z.string().regex(/^rtmps?:\/\/[^/\s]+/, 'RTMP_URL must be an rtmp:// or rtmps:// URL').optional(),
  FFMPEG_PATH: z.string().optional(),
  /**
   * What the render node runs: `source` (render-node/src/main.ts, Node strips the types) or `bundle` (what production
   * runs: render-node/dist/main.js, built at start, with production's Node flags and environment; `npm run soak`).
   */
  RENDER_BUILD: z.enum(['source', 'bundle'], { error: 'RENDER_BUILD must be source or bundle' }).default('source'),
  /** Simulated voters through the public API (`npm start -- --demo`); 0 is off. Never with real cloud services. */
  DEMO_VOTERS: z.coerce.number().int().min(0).max(500).default(0),
  DATA_DIR: z.string().default('.data'),
  /** A plain postgres:// URL: the local Neon endpoint fronts it. A Neon URL: used directly, no stand-in. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL').optional(),
  /** Real Upstash: used directly. */
  UPSTASH_REDIS_REST_URL: z.url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** A plain Redis: the local Upstash endpoint fronts it. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL').optional(),
  OPERATOR_TOKEN: z.string().min(16, 'OPERATOR_TOKEN must be at least 16 characters').optional(),
  VOTER_SECRET: z.string().min(16).optional(),
  RENDERER_TOKEN: z.string().min(16).optional(),
  BRIDGE_TOKEN: z.string().min(16, 'BRIDGE_TOKEN must be at least 16 characters').optional(),
  OPENROUTER_API_KEY: z.string().optional(),
  AI_BASE_URL: z.url().optional(),
  AI_MODEL: z.string().optional(),
  TURNSTILE_SECRET: z.string().optional(),
  ROUND_SECONDS: z.coerce.number().int().min(15).max(1800).optional(),
  /** The Worker's too: `info` prints a line per request, `warn` keeps benchmarks quiet. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * What runs the Worker: `workerd` (the deployed bundle in plain workerd; the default) or `wrangler`
   * (`wrangler dev`: reloads on source changes, several times the CPU per request). Unset in a settings object
   * built in code: the EDGE_RUNNER environment variable decides (see stack.ts).
   */
  EDGE_RUNNER: EdgeRunner.optional(),
});
export type LocalSettings = z.infer<typeof LocalSettings>;

/** The root .env, whatever the working directory; variables already in the environment win over it. */
const ENV_FILE = join(REPO_ROOT, '.env');

export function readSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = LocalSettings.safeParse(blankless);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.UPSTASH_REDIS_REST_URL && !parsed.data.UPSTASH_REDIS_REST_TOKEN) {
    throw new Error('Invalid configuration:\n  UPSTASH_REDIS_REST_TOKEN is required with UPSTASH_REDIS_REST_URL');
  }
  return parsed.data;
}

/** Neon's own endpoint serves *.neon.tech URLs; anything else is a plain Postgres the stand-in fronts. */
export function isNeonUrl(url: string): boolean {
  return /\.neon\.tech(:\d+)?\//.test(url) || /\.neon\.tech$/.test(new URL(url).hostname);
}
