import { describe, expect, it } from 'vitest';
import { readConfig } from '../env.ts';

const valid = {
  OPERATOR_TOKEN: 'operator-token-0123456789',
  VOTER_SECRET: 'voter-secret-0123456789',
  RENDERER_TOKEN: 'renderer-token-0123456789',
  DATABASE_URL: 'postgres://u:p@db.example/app',
  UPSTASH_REDIS_REST_URL: 'https://redis.example',
  UPSTASH_REDIS_REST_TOKEN: 't',
};

describe('alert settings', () => {
  it('are off without a webhook (unset or empty, as .dev.vars.example leaves it), with the documented defaults', () => {
    for (const off of [{}, { ALERT_WEBHOOK_URL: '' }]) {
      const c = readConfig({ ...valid, ...off });
      expect(c.ALERT_WEBHOOK_URL).toBeUndefined();
      expect(c).toMatchObject({
        ALERT_STREAM_DOWN_SEC: 60,
        ALERT_VOTE_FAILURES: 5,
        ALERT_ARCHIVE_STALL_SEC: 300,
        ALERT_REPEAT_MIN: 5,
        ALERT_MAX_PER_HOUR: 20,
      });
    }
    expect(readConfig({ ...valid, ALERT_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/tok' }).ALERT_WEBHOOK_URL).toBe('https://discord.com/api/webhooks/1/tok');
  });

  it('refuses a webhook that is not http(s), naming the setting but not its (secret) value', () => {
    expect(() => readConfig({ ...valid, ALERT_WEBHOOK_URL: 'ftp://hooks.example/secret-token-123' })).toThrow(/ALERT_WEBHOOK_URL/);
    try {
      readConfig({ ...valid, ALERT_WEBHOOK_URL: 'ftp://hooks.example/secret-token-123' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-token-123');
    }
    expect(() => readConfig({ ...valid, ALERT_STREAM_DOWN_SEC: '5' })).toThrow(/ALERT_STREAM_DOWN_SEC/);
  });
});
