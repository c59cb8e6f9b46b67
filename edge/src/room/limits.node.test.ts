import { describe, expect, it, vi } from 'vitest';
import { EnvSchema } from '../env.ts';
import { CLOSE, ConnectionLimits, byteLength } from './limits.ts';

const config = EnvSchema.parse({
  OPERATOR_TOKEN: 'o'.repeat(16),
  VOTER_SECRET: 'v'.repeat(16),
  RENDERER_TOKEN: 'r'.repeat(16),
  DATABASE_URL: 'postgres://x',
  UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1',
  UPSTASH_REDIS_REST_TOKEN: 't',
  WS_MESSAGES_PER_SEC: '5',
  WS_MESSAGE_BURST: '20',
  WS_FLOOD_CLOSE_AFTER: '100',
  WS_LOG_LINES_PER_MIN: '5',
});

describe('ConnectionLimits', () => {
  it('lets a burst through, drops past it (telling the client once), and refills at the rate', () => {
    const limits = new ConnectionLimits(config);
    const conn = {};
    const kinds = Array.from({ length: 25 }, () => limits.check(conn, 'viewer', 'x', 0).kind);
    expect(kinds.slice(0, 20).every((k) => k === 'ok')).toBe(true);
    expect(kinds.slice(20)).toEqual(['rate-limited', 'drop', 'drop', 'drop', 'drop']);
    // One second later, five more.
    const later = Array.from({ length: 6 }, () => limits.check(conn, 'viewer', 'x', 1_000).kind);
    expect(later).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'drop']);
    // Another connection has its own bucket.
    expect(limits.check({}, 'viewer', 'x', 1_000).kind).toBe('ok');
  });

  it('closes a connection after a sustained flood, and then drops everything quietly', () => {
    const limits = new ConnectionLimits(config);
    const conn = {};
    const verdicts = Array.from({ length: 20 + config.WS_FLOOD_CLOSE_AFTER }, () => limits.check(conn, 'viewer', 'x', 0));
    expect(verdicts.at(-1)).toMatchObject({ kind: 'close', code: CLOSE.flood });
    expect(verdicts.filter((v) => v.kind === 'close')).toHaveLength(1);
    expect(limits.check(conn, 'viewer', 'x', 60_000).kind).toBe('drop');
  });

  it('forgives drops spread out over more than the flood window', () => {
    const limits = new ConnectionLimits(config);
    const conn = {};
    let closes = 0;
    // 6 messages a second against 5 allowed: a drop now and then, never a flood.
    for (let ms = 0; ms < 120_000; ms += 166) if (limits.check(conn, 'viewer', 'x', ms).kind === 'close') closes++;
    expect(closes).toBe(0);
  });

  it('closes on an oversized message by size alone, with a larger cap for renderers', () => {
    const limits = new ConnectionLimits(config);
    const big = 'x'.repeat(config.WS_MAX_MESSAGE_BYTES + 1);
    expect(limits.check({}, 'viewer', big, 0)).toMatchObject({ kind: 'close', code: CLOSE.tooLarge });
    expect(limits.check({}, 'operator', big, 0)).toMatchObject({ kind: 'close', code: CLOSE.tooLarge });
    expect(limits.check({}, 'renderer', big, 0).kind).toBe('ok');
    expect(limits.check({}, 'viewer', new Uint8Array(config.WS_MAX_MESSAGE_BYTES + 1), 0).kind).toBe('close');
  });

  it('keeps warn lines within the budget and reports how many it left out', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const limits = new ConnectionLimits(config);
    const conn = {};
    for (let i = 0; i < 1_000; i++) limits.warn(conn, 'ws.bad-message', { room: 'main' }, 0);
    expect(warn).toHaveBeenCalledTimes(config.WS_LOG_LINES_PER_MIN);
    expect(limits.suppressedLines).toBe(1_000 - config.WS_LOG_LINES_PER_MIN);
    // A minute later, the count comes first.
    limits.warn(conn, 'ws.bad-message', { room: 'main' }, 60_000);
    expect(JSON.parse(String(warn.mock.calls[config.WS_LOG_LINES_PER_MIN]![0]))).toMatchObject({ event: 'ws.logs-suppressed', lines: 995 });
    // Many connections share the room's budget.
    warn.mockClear();
    for (let c = 0; c < 100; c++) limits.warn({}, 'ws.bad-message', { room: 'main' }, 61_000);
    expect(warn.mock.calls.length).toBeLessThanOrEqual(config.WS_LOG_LINES_PER_MIN * 10);
    warn.mockRestore();
  });

  it('answers at most 30 resyncs a connection a minute, then again the next minute', () => {
    const limits = new ConnectionLimits(config);
    const conn = {};
    const answered = Array.from({ length: 40 }, (_, i) => limits.mayResync(conn, i * 1_000)).filter(Boolean).length;
    expect(answered).toBe(30);
    expect(limits.mayResync(conn, 60_000)).toBe(true);
    expect(limits.mayResync({}, 1_000)).toBe(true);
  });
});

describe('byteLength', () => {
  it('counts UTF-8 bytes near the cap and never encodes a string far over it', () => {
    expect(byteLength('é'.repeat(100), 150)).toBe(200);
    expect(byteLength('abc', 100)).toBe(3);
    const encode = vi.spyOn(TextEncoder.prototype, 'encode');
    expect(byteLength('x'.repeat(1_000_000), 4_096)).toBeGreaterThan(4_096);
    expect(encode).not.toHaveBeenCalled();
    encode.mockRestore();
  });
});
