import type { Matchup } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { log } from '../log.ts';
import { aiTargetFromConfig } from '../ai/client.ts';
import { nextMatchups } from '../ai/matchup-source.ts';

/** The AI when a key is configured; otherwise (or when it fails) the built-in generator. Never throws. */
export async function generateForQueue(
  config: AppConfig,
  opts: { count: number; theme?: string | undefined; seed: string },
): Promise<{ matchups: Matchup[]; source: 'ai' | 'builtin'; error?: string | undefined }> {
  const ai = aiTargetFromConfig({ apiKey: config.OPENROUTER_API_KEY, baseURL: config.AI_BASE_URL, model: config.AI_MODEL, timeoutMs: config.AI_TIMEOUT_MS });
  return nextMatchups({ ai, count: opts.count, theme: opts.theme, seed: opts.seed, log, durationSec: config.ROUND_SECONDS, lang: config.STREAM_LANG });
}
