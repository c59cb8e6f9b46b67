/**
 * AI settings. The Worker reads them from its env through the one config schema (edge/src/env.ts), which uses
 * these defaults and bounds; a malformed variable fails there with its name.
 */
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

/** Below 500 ms no model answers; above 60 s the queue starves. */
export const AI_TIMEOUT_BOUNDS = { min: 500, max: 60_000 } as const;
