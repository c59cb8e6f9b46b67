import { describe, expect, it } from 'vitest';
import { createLogger, maskKey } from '../../src/service/log.ts';

describe('structured log', () => {
  it('writes one JSON line per event with time, level and fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.info('room.connected', { room: 'main', n: 1 });
    log.debug('hidden');
    log.error('boom', { error: new Error('bad thing') });
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ level: 'info', event: 'room.connected', room: 'main', n: 1 });
    expect(new Date(a!.t as string).getTime()).toBeGreaterThan(0);
    expect(b).toMatchObject({ level: 'error', event: 'boom', error: 'bad thing' });
  });

  it('never writes the token or a stream key in full, wherever they appear', () => {
    const lines: string[] = [];
    const token = 'renderer-token-0123456789';
    const key = 'youtube-key-abcd-efgh-ijkl';
    const log = createLogger({ write: (l) => lines.push(l), secrets: [token] });
    log.secret(key);
    log.warn('stream.ffmpeg', { streamKey: key, line: `rtmp://restreamer:1935/live/${key}?token=${encodeURIComponent(token)}`, url: `ws://x/?token=${token}` });
    const out = lines.join('\n');
    expect(out).not.toContain(token);
    expect(out).not.toContain(key);
    expect(out).toContain(maskKey(key));
    expect(out).toContain('/live/***?token=***');
  });

  it('masks keys to a short stable hash (with 3 characters of long keys)', () => {
    expect(maskKey('youtube-key-abcd-efgh')).toMatch(/^you…[0-9a-f]{6}$/);
    expect(maskKey('short')).toMatch(/^…[0-9a-f]{6}$/);
    expect(maskKey('short')).toBe(maskKey('short'));
    expect(maskKey('short')).not.toBe(maskKey('shorter'));
  });
});
