/**
 * The Worker's configuration, parsed once per isolate by one schema. A missing or malformed variable fails
 * loudly with its name, instead of surfacing later as a confusing runtime error.
 */
import { z } from 'zod';
import { ROUND_SECONDS } from '@stream-fighter/core/matchup';
import { AI_DEFAULTS, AI_TIMEOUT_BOUNDS } from './ai/config.ts';

const secret = (name: string) => z.string({ error: `${name} is required` }).min(16, `${name} must be at least 16 characters`);
const optionalString = z.string().trim().min(1).optional().catch(undefined);
const intString = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);

export const EnvSchema = z.object({
  OPERATOR_TOKEN: secret('OPERATOR_TOKEN'),
  VOTER_SECRET: secret('VOTER_SECRET'),
  RENDERER_TOKEN: secret('RENDERER_TOKEN'),
  TURNSTILE_SECRET: optionalString,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  /** Dev/test only: where the local Neon-HTTP stand-in listens. Unset in production (Neon's own endpoint). */
  NEON_HTTP_ENDPOINT: z.url().optional(),
  UPSTASH_REDIS_REST_URL: z.url({ error: 'UPSTASH_REDIS_REST_URL must be a URL' }),
  UPSTASH_REDIS_REST_TOKEN: z.string({ error: 'UPSTASH_REDIS_REST_TOKEN is required' }).min(1),
  OPENROUTER_API_KEY: optionalString,
  AI_BASE_URL: z.url({ protocol: /^https?$/, error: 'AI_BASE_URL must be an http(s) URL' }).default(AI_DEFAULTS.baseURL),
  AI_MODEL: z.string().trim().min(1).max(200).default(AI_DEFAULTS.model),
  AI_TIMEOUT_MS: intString(AI_TIMEOUT_BOUNDS.min, AI_TIMEOUT_BOUNDS.max, AI_DEFAULTS.timeoutMs),
  ROOM_NAME: z.string().regex(/^[a-z0-9-]{1,32}$/).default('main'),
  SITE_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  ROUND_SECONDS: intString(ROUND_SECONDS.min, ROUND_SECONDS.max, ROUND_SECONDS.default),
  /** Votes allowed per window, per IP and per voter. */
  RATE_LIMIT_IP_PER_10S: intString(1, 100_000, 60),
  RATE_LIMIT_VOTER_PER_10S: intString(1, 1_000, 5),
  SHOUTOUT_PER_MIN: intString(1, 100, 2),
});
export type AppConfig = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, AppConfig>();

/** Parse the Worker env (cached per env object: bindings do not change within an isolate). */
export function readConfig(env: object): AppConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid Worker configuration:\n  ${lines.join('\n  ')}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
