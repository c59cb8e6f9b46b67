/**
 * Where the prewarm queue gets its next matchups: the AI when it is configured and behaves, the built-in
 * generator otherwise. The stream must never stall on a model, so this never throws.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { generateMatchup, type GenLang } from '@stream-fighter/core/generator';
import { ROUND_SECONDS } from '@stream-fighter/core/matchup';
import type { Matchup } from '@stream-fighter/core/matchup';
import type { AiTarget } from './client.ts';
import { MAX_AI_MATCHUPS, generateMatchupsWithAi } from './generate-matchups.ts';
import { AiOutputError } from './json-completion.ts';

/** Structured logger; `console` fits. */
export interface MatchupSourceLog {
  warn(event: string, fields: Record<string, unknown>): void;
}

export interface NextMatchupsRequest {
  ai?: AiTarget | null;
  /** Clamped to 1..5. */
  count: number;
  theme?: string;
  seed: string;
  log: MatchupSourceLog;
  /** Round length to stamp on every matchup (the AI does not choose it); default: the core default. */
  durationSec?: number;
  /** The language the matchups are written in, by the AI or the built-in generator; default English. */
  lang?: GenLang;
}

export interface NextMatchupsResult {
  matchups: Matchup[];
  source: 'ai' | 'builtin';
  /** Why the AI was not used, when it was configured: `<kind>: <detail>`, secrets redacted. */
  error?: string;
}

export type AiFailureKind =
  | 'timeout' | 'aborted' | 'connection' | 'rate_limited' | 'upstream_5xx' | `http_${number}`
  | 'empty' | 'malformed' | 'invalid' | 'unsafe' | 'unexpected';

/** Order matters: the SDK's timeout error is a connection error, which is an `APIError` without a status. */
export function classifyAiError(err: unknown): AiFailureKind {
  if (err instanceof AiOutputError) return err.problem;
  if (err instanceof APIConnectionTimeoutError) return 'timeout';
  if (err instanceof APIUserAbortError) return 'aborted';
  if (err instanceof APIConnectionError) return 'connection';
  if (err instanceof APIError && typeof err.status === 'number') {
    if (err.status === 429) return 'rate_limited';
    if (err.status >= 500) return 'upstream_5xx';
    return `http_${err.status}`;
  }
  return 'unexpected';
}

/**
 * Remove the configured key and anything key-shaped. A 401 from OpenAI-style APIs quotes part of the key back,
 * and SDK messages include the provider's error text verbatim.
 */
export function redact(text: string, apiKey: string | null | undefined): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/\b(?:sk|pk|rk)-[\w*.-]{6,}/g, '[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}

function builtin(seed: string, count: number, durationSec: number | undefined, lang: GenLang | undefined): Matchup[] {
  // A separator keeps batches apart: seed "round:1" item 2 must not equal seed "round:12" item 0.
  return Array.from({ length: count }, (_, i) =>
    generateMatchup(`${seed}:${i}`, { ...(durationSec === undefined ? {} : { durationSec }), ...(lang === undefined ? {} : { lang }) }),
  );
}

export async function nextMatchups(req: NextMatchupsRequest): Promise<NextMatchupsResult> {
  const count = Math.min(MAX_AI_MATCHUPS, Math.max(1, Number.isFinite(req.count) ? Math.trunc(req.count) : 1));
  const { ai, seed, theme, lang } = req;
  // Clamped like the generator does, so an out-of-range setting cannot make AI matchups invalid.
  const durationSec =
    req.durationSec === undefined || !Number.isFinite(req.durationSec)
      ? undefined
      : Math.min(ROUND_SECONDS.max, Math.max(ROUND_SECONDS.min, Math.round(req.durationSec)));
  if (!ai) return { matchups: builtin(seed, count, durationSec, lang), source: 'builtin' };

  const started = Date.now();
  try {
    const matchups = await generateMatchupsWithAi(ai.client, ai.model, { count, seed, ...(theme === undefined ? {} : { theme }), ...(lang === undefined ? {} : { lang }) });
    return {
      matchups: durationSec === undefined ? matchups : matchups.map((m) => ({ ...m, durationSec })),
      source: 'ai',
    };
  } catch (err) {
    const kind = classifyAiError(err);
    const apiKey = ai.client.apiKey;
    const message = redact(err instanceof Error ? err.message : String(err), apiKey);
    const fields: Record<string, unknown> = {
      kind,
      message,
      model: ai.model,
      count,
      ms: Date.now() - started,
      ...(err instanceof APIError && err.status !== undefined ? { status: err.status } : {}),
      ...(err instanceof APIError && err.requestID ? { requestId: err.requestID } : {}),
    };
    try {
      req.log.warn('ai_matchups_fallback', fields);
    } catch {
      // A broken logger must not take the queue down with it.
    }
    return { matchups: builtin(seed, count, durationSec, lang), source: 'builtin', error: `${kind}: ${message}` };
  }
}
