/**
 * AI settings, parsed from the Worker env by one schema. A malformed variable fails with its name so a typo in
 * wrangler config shows up at start, not as a silent fallback to built-in matchups forever.
 */
import { z } from 'zod';

export interface AiConfig {
  /** Unset means "no AI": the matchup source uses the built-in generator only. */
  apiKey?: string;
  baseURL: string;
  model: string;
  timeoutMs: number;
}

export const AI_DEFAULTS = {
  baseURL: 'https://openrouter.ai/api/v1',
  model: 'meta-llama/llama-3.3-70b-instruct',
  timeoutMs: 8_000,
} as const;

/** Same bounds as the Worker-wide env schema: below 500 ms no model answers, above 60 s the queue starves. */
export const AI_TIMEOUT_BOUNDS = { min: 500, max: 60_000 } as const;

export class AiConfigError extends Error {
  override name = 'AiConfigError';
}

/** `.dev.vars` and dashboards leave blanks behind; a blank variable means "unset", not "empty value". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const AiEnv = z.object({
  OPENROUTER_API_KEY: optional(z.string().trim()),
  AI_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  AI_MODEL: optional(z.string().trim().min(1).max(200)),
  AI_TIMEOUT_MS: optional(
    z.coerce
      .number({ error: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(AI_TIMEOUT_BOUNDS.min, `must be at least ${AI_TIMEOUT_BOUNDS.min}`)
      .max(AI_TIMEOUT_BOUNDS.max, `must be at most ${AI_TIMEOUT_BOUNDS.max}`),
  ),
});

/**
 * Parse `OPENROUTER_API_KEY`, `AI_BASE_URL`, `AI_MODEL`, `AI_TIMEOUT_MS` from a Worker env (other bindings are
 * ignored). Throws `AiConfigError` naming each bad variable; the message never contains a value.
 */
export function parseAiConfig(env: Record<string, unknown>): AiConfig {
  const parsed = AiEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new AiConfigError(`Invalid AI configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    ...(e.OPENROUTER_API_KEY ? { apiKey: e.OPENROUTER_API_KEY } : {}),
    baseURL: e.AI_BASE_URL ?? AI_DEFAULTS.baseURL,
    model: e.AI_MODEL ?? AI_DEFAULTS.model,
    timeoutMs: e.AI_TIMEOUT_MS ?? AI_DEFAULTS.timeoutMs,
  };
}
