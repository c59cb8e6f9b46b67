import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './env.ts';

const valid = {
  OPERATOR_TOKEN: 'operator-token-0123456789',
  VOTER_SECRET: 'voter-secret-0123456789',
  RENDERER_TOKEN: 'renderer-token-0123456789',
  DATABASE_URL: 'postgres://u:p@db.example/app',
  UPSTASH_REDIS_REST_URL: 'https://redis.example',
  UPSTASH_REDIS_REST_TOKEN: 't',
};
const env = (over: Record<string, unknown>) => ({ ...valid, ...over });

describe('Worker config', () => {
  it('applies defaults for what is optional', () => {
    const c = readConfig(env({ OPENROUTER_API_KEY: '' }));
    expect(c).toMatchObject({ ROOM_NAME: 'main', ROUND_SECONDS: 180, AI_TIMEOUT_MS: 8000, OPENROUTER_API_KEY: undefined });
    expect(c.AI_BASE_URL).toBe('https://openrouter.ai/api/v1');
    expect(readConfig(env({ SITE_ORIGINS: 'https://a.example, https://b.example' })).SITE_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('fails loudly, naming every missing or malformed variable', () => {
    expect(() => readConfig({})).toThrow(ConfigError);
    try {
      readConfig(env({ OPERATOR_TOKEN: undefined, DATABASE_URL: 'mysql://x', AI_BASE_URL: 'ftp://x', ROUND_SECONDS: '5' }));
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ['OPERATOR_TOKEN', 'DATABASE_URL', 'AI_BASE_URL', 'ROUND_SECONDS']) expect(msg).toContain(name);
      expect(msg).not.toContain('voter-secret-0123456789');
    }
  });

  it('reads the phase lengths around a round: the production pacing by default, three bounded numbers when set', () => {
    expect(readConfig(env({})).ROUND_PHASES_MS).toEqual({ intro: 5000, finish: 4000, results: 8000 });
    expect(readConfig(env({ ROUND_PHASES_MS: '1000, 2000,1000' })).ROUND_PHASES_MS).toEqual({ intro: 1000, finish: 2000, results: 1000 });
    for (const bad of ['1000,2000', '1000,2000,1000,5', 'a,b,c', '0,2000,1000', '1000,2000,600000', '']) {
      expect(() => readConfig(env({ ROUND_PHASES_MS: bad })), bad).toThrow(/ROUND_PHASES_MS/);
    }
  });

  it('reads the language the room writes its matchups in: English unless set, only a language the stream speaks', () => {
    expect(readConfig(env({})).STREAM_LANG).toBe('en');
    expect(readConfig(env({ STREAM_LANG: 'es' })).STREAM_LANG).toBe('es');
    expect(() => readConfig(env({ STREAM_LANG: 'de' }))).toThrow(/STREAM_LANG/);
  });

  it('reads the shout-out moderation settings: approval off by default, a comma-separated block list', () => {
    expect(readConfig(env({})).SHOUTOUT_AUTO_APPROVE).toBe(false);
    expect(readConfig(env({})).SHOUTOUT_BLOCKLIST).toEqual([]);
    expect(readConfig(env({ SHOUTOUT_AUTO_APPROVE: 'true' })).SHOUTOUT_AUTO_APPROVE).toBe(true);
    expect(() => readConfig(env({ SHOUTOUT_AUTO_APPROVE: 'yes' }))).toThrow(/SHOUTOUT_AUTO_APPROVE/);
    expect(readConfig(env({ SHOUTOUT_BLOCKLIST: ' spoiler, , Bad Word ' })).SHOUTOUT_BLOCKLIST).toEqual(['spoiler', 'Bad Word']);
  });

  it('refuses short secrets', () => {
    expect(() => readConfig(env({ VOTER_SECRET: 'short' }))).toThrow(/VOTER_SECRET must be at least 16/);
  });
});
