/** The one place the OpenAI SDK is constructed, pointed at OpenRouter (or any OpenAI-compatible endpoint). */
import OpenAI from 'openai';
import type { AiConfig } from './config.ts';

export interface AiClientOptions {
  /**
   * The fetch to use, e.g. a service binding's or an instrumented one. Unset uses the runtime's global
   * `fetch`, which Workers provide.
   */
  fetch?: typeof fetch;
  /** Public URL of the site; OpenRouter shows it as the app on its dashboards (optional). */
  referer?: string;
}

/** What the matchup source needs to call the AI. `null` where AI is not configured. */
export interface AiTarget {
  client: OpenAI;
  model: string;
}

export function createAiClient(config: AiConfig & { apiKey: string }, opts: AiClientOptions = {}): OpenAI {
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    timeout: config.timeoutMs,
    // One retry rides out a blip; more would blow the between-rounds budget, and the built-in generator is the
    // real fallback.
    maxRetries: 1,
    // OpenRouter's optional attribution headers; other providers ignore them.
    defaultHeaders: {
      'X-Title': 'Stream Fighter',
      ...(opts.referer ? { 'HTTP-Referer': opts.referer } : {}),
    },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

/** The AI target for a parsed config, or `null` when no API key is set (built-in matchups only). */
export function aiTargetFromConfig(config: AiConfig, opts: AiClientOptions = {}): AiTarget | null {
  const { apiKey } = config;
  if (!apiKey) return null;
  return { client: createAiClient({ ...config, apiKey }, opts), model: config.model };
}
