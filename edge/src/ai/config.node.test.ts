import { describe, expect, it } from 'vitest';
import { AI_DEFAULTS, AiConfigError, parseAiConfig } from './config.ts';

const KEY = 'sk-or-v1-config-test-key-0123456789';

describe('parseAiConfig', () => {
  it('uses the defaults when nothing is set, without an api key', () => {
    expect(parseAiConfig({})).toEqual({ baseURL: AI_DEFAULTS.baseURL, model: AI_DEFAULTS.model, timeoutMs: 8_000 });
    expect(AI_DEFAULTS).toEqual({
      baseURL: 'https://openrouter.ai/api/v1',
      model: 'meta-llama/llama-3.3-70b-instruct',
      timeoutMs: 8_000,
    });
  });

  it('treats blank variables as unset', () => {
    expect(parseAiConfig({ OPENROUTER_API_KEY: '  ', AI_BASE_URL: '', AI_MODEL: '', AI_TIMEOUT_MS: '' })).toEqual({
      baseURL: AI_DEFAULTS.baseURL,
      model: AI_DEFAULTS.model,
      timeoutMs: AI_DEFAULTS.timeoutMs,
    });
  });

  it('reads every variable and ignores other bindings', () => {
    const env = {
      OPENROUTER_API_KEY: KEY,
      AI_BASE_URL: 'http://127.0.0.1:8787/api/v1',
      AI_MODEL: 'openai/gpt-4o-mini',
      AI_TIMEOUT_MS: '2500',
      ROOM: { not: 'a string' },
    };
    expect(parseAiConfig(env)).toEqual({
      apiKey: KEY,
      baseURL: 'http://127.0.0.1:8787/api/v1',
      model: 'openai/gpt-4o-mini',
      timeoutMs: 2500,
    });
    // wrangler.jsonc [vars] may give numbers.
    expect(parseAiConfig({ AI_TIMEOUT_MS: 1000 }).timeoutMs).toBe(1000);
  });

  it.each([
    ['AI_BASE_URL', 'openrouter.ai/api/v1', /AI_BASE_URL: must be an http\(s\) URL/],
    ['AI_BASE_URL', 'ftp://example.com/v1', /AI_BASE_URL/],
    ['AI_TIMEOUT_MS', 'eight seconds', /AI_TIMEOUT_MS/],
    ['AI_TIMEOUT_MS', '1.5', /AI_TIMEOUT_MS: must be a whole number/],
    ['AI_TIMEOUT_MS', '100', /AI_TIMEOUT_MS: must be at least 500/],
    ['AI_TIMEOUT_MS', '600000', /AI_TIMEOUT_MS: must be at most 60000/],
    ['AI_MODEL', 42, /AI_MODEL/],
    ['OPENROUTER_API_KEY', 42, /OPENROUTER_API_KEY/],
  ])('rejects a malformed %s (%s) by name', (name, value, message) => {
    const parse = () => parseAiConfig({ OPENROUTER_API_KEY: KEY, [name]: value });
    expect(parse).toThrow(AiConfigError);
    expect(parse).toThrow(message);
  });

  it('names every bad variable and never echoes a value', () => {
    let error: unknown;
    try {
      parseAiConfig({ OPENROUTER_API_KEY: KEY, AI_BASE_URL: `not a url ${KEY}`, AI_TIMEOUT_MS: 'x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AiConfigError);
    const message = (error as Error).message;
    expect(message).toContain('AI_BASE_URL');
    expect(message).toContain('AI_TIMEOUT_MS');
    expect(message).not.toContain(KEY);
  });
});
