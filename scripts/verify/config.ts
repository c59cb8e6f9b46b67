/**
 * `npm run verify` settings: the local stack by default, or deployed URLs from the environment, checked once at
 * start. A bad value stops the run with its name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const LOCAL_API = 'http://127.0.0.1:8787';
const off = (v: string | undefined) => v === undefined || ['', 'off', 'none', 'skip'].includes(v.toLowerCase());

export const VerifyEnv = z.object({
  VERIFY_API_URL: z.url().default(LOCAL_API).transform((u) => u.replace(/\/+$/, '')),
  /** The render node's status server; `off` for a deployment that does not expose it. */
  VERIFY_RENDER_URL: z.string().default('http://127.0.0.1:8790').transform((u) => (off(u) ? null : u.replace(/\/+$/, ''))),
  /** RTMP play URL or HTTP-FLV URL of the stream at the receiver; `off` to skip the stream checks. */
  VERIFY_RTMP_PLAY_URL: z.string().default('rtmp://127.0.0.1:1935/live/preview').transform((u) => (off(u) ? null : u)),
  VERIFY_ROOM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('main'),
  VERIFY_SIZE: z.string().regex(/^\d+x\d+$/, 'VERIFY_SIZE looks like 1280x720').default('1280x720'),
  VERIFY_FPS: z.coerce.number().min(1).max(120).default(30),
  VERIFY_KEYFRAME_SEC: z.coerce.number().positive().default(2),
  VERIFY_VOTES: z.coerce.number().int().min(1).max(50).default(5),
  /** The bound on vote accepted → tally seen on the WebSocket. */
  VERIFY_WS_BOUND_MS: z.coerce.number().int().positive().default(2_000),
  /** How long to wait for a live round (intro, or the next round after a finish). */
  VERIFY_ROUND_WAIT_SEC: z.coerce.number().int().positive().default(40),
  /** The whole run: past this, the report so far is printed and the run fails. */
  VERIFY_DEADLINE_SEC: z.coerce.number().int().positive().default(150),
  /** Where the before/after HUD pictures go. */
  VERIFY_OUT_DIR: z.string().default('.data/verify'),
});
export type VerifyConfig = z.infer<typeof VerifyEnv> & {
  VERIFY_OPERATOR_TOKEN: string | undefined;
  width: number;
  height: number;
  operatorTokenSource: string | null;
  streamKey: string | null;
};

const ROOT = resolve(import.meta.dirname, '../..');

/** The root .env, as `npm start` reads it (variables already in the environment win), so both see one token. */
export function loadRootEnv(): void {
  const file = resolve(ROOT, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

export function readVerifyConfig(env: NodeJS.ProcessEnv = process.env): VerifyConfig {
  const parsed = VerifyEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('VERIFY_'))));
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const c = parsed.data;
  const [width, height] = c.VERIFY_SIZE.split('x').map(Number) as [number, number];
  const { token, source } = operatorToken(env, c.VERIFY_API_URL);
  const streamKey = c.VERIFY_RTMP_PLAY_URL ? (streamKeyOf(c.VERIFY_RTMP_PLAY_URL) ?? null) : null;
  return { ...c, VERIFY_OPERATOR_TOKEN: token, width, height, operatorTokenSource: source, streamKey };
}

/**
 * The operator token for the stack at `apiUrl`: `VERIFY_OPERATOR_TOKEN`, else `OPERATOR_TOKEN` (what the README
 * tells an operator to export, and what `npm start` then runs with), else, for a stack on this machine only, the
 * one `npm start` generated into the data folder.
 */
export function operatorToken(env: NodeJS.ProcessEnv, apiUrl: string): { token: string | undefined; source: string | null } {
  for (const name of ['VERIFY_OPERATOR_TOKEN', 'OPERATOR_TOKEN'] as const) {
    const t = env[name];
    if (t === undefined || t === '') continue;
    if (t.length < 16) throw new Error(`Invalid configuration:\n  ${name}: must be at least 16 characters`);
    return { token: t, source: name };
  }
  if (!isLoopback(apiUrl)) return { token: undefined, source: null };
  const file = resolve(ROOT, env.DATA_DIR ?? '.data', 'secrets.json');
  if (!existsSync(file)) return { token: undefined, source: null };
  try {
    const t = (JSON.parse(readFileSync(file, 'utf8')) as { OPERATOR_TOKEN?: unknown }).OPERATOR_TOKEN;
    if (typeof t === 'string' && t.length >= 16) return { token: t, source: `local ${file}` };
  } catch {
    // unreadable: run without operator checks
  }
  return { token: undefined, source: null };
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The stream key in a play URL: the last path element, without a `.flv` suffix or query. */
export function streamKeyOf(playUrl: string): string | undefined {
  try {
    const last = new URL(playUrl).pathname.split('/').filter(Boolean).pop();
    return last?.replace(/\.flv$/, '');
  } catch {
    return undefined;
  }
}
