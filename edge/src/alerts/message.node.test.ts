import { describe, expect, it } from 'vitest';
import type { AlertLine } from './conditions.ts';
import { MAX_CHARS, maskKey, scrub, webhookBody } from './message.ts';
import { observeArchive, observeStreams, observeVotes } from './observe.ts';

const rules = { ALERT_STREAM_DOWN_SEC: 60, ALERT_ARCHIVE_STALL_SEC: 300, ALERT_VOTE_FAILURES: 5 };
const line = (over: Partial<AlertLine>): AlertLine => ({ key: 'votes', kind: 'down', label: 'votes', detail: 'x', badSince: 0, downForMs: null, ...over });

describe('alert messages', () => {
  it('is one body with the same message for Discord (content) and Slack (text, with its control characters escaped)', () => {
    const body = webhookBody('main', [line({ detail: 'a < b & c > d' }), line({ kind: 'recovered', label: 'archive', downForMs: 360_000 })], 90_000);
    expect(Object.keys(body).sort()).toEqual(['content', 'text']);
    expect(body.content).toBe('Stream Fighter, room main:\n🔴 DOWN votes: a < b & c > d (since 00:00 UTC, 90 s)\n🟢 RECOVERED archive: back to normal after 6 min');
    expect(body.text).toBe(body.content.replace('a < b & c > d', 'a &lt; b &amp; c &gt; d'));
  });

  it('stays within Discord\'s 2,000 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => line({ key: `stream:${i}`, detail: 'y'.repeat(100) }));
    expect(webhookBody('main', many, 0).content.length).toBe(MAX_CHARS);
  });

  it('names a stream without its key, and drops URLs and mentions from text it quotes', () => {
    expect(maskKey('live_abcdefgh1234')).toBe('…1234');
    expect(maskKey('short')).toBe('…');
    expect(scrub('connect to rtmp://a.example/live/SECRETKEY failed @everyone')).toBe('connect to <url> failed @\u200beveryone');
    const [obs] = observeStreams([{ streamKey: 'live_abcdefgh1234', screenId: 'fight', createdAt: 0 }], new Map(), 1_000, rules);
    // The key stays in the room (its row's key), never in what a message is made of.
    expect(`${obs!.label} ${obs!.detail}`).not.toContain('abcdefgh');
  });

  it('observes streams: live and fresh is fine, a stale report counts from its time, a report not live from the check', () => {
    const s = { streamKey: 'k'.repeat(12), screenId: 'fight' as const, createdAt: 0 };
    const st = (state: 'live' | 'retrying', reportedAt: number) => new Map([[s.streamKey, { streamKey: s.streamKey, state, fps: 30, speed: 1, droppedFrames: 0, restarts: 2, uptimeSec: 1, renderer: 'r', reportedAt }]]);
    expect(observeStreams([s], st('live', 50_000), 60_000, rules)[0]!.state).toBe('ok');
    expect(observeStreams([s], st('live', 0), 60_000, rules)[0]!.state).toEqual({ badSince: 0 });
    expect(observeStreams([s], st('retrying', 59_000), 60_000, rules)[0]!.state).toEqual({});
    expect(observeStreams([s], new Map(), 60_000, rules)[0]!.state).toEqual({ badSince: 0 });
  });

  it('observes votes as failing only with enough failures, at least as many as answered; no votes is no evidence', () => {
    expect(observeVotes({ answered: 0, failed: 0, lastError: null }, rules).state).toBe('unknown');
    expect(observeVotes({ answered: 0, failed: 4, lastError: 'x' }, rules).state).toBe('ok');
    expect(observeVotes({ answered: 6, failed: 5, lastError: 'x' }, rules).state).toBe('ok');
    expect(observeVotes({ answered: 5, failed: 5, lastError: 'disk full' }, rules)).toMatchObject({ state: {}, detail: expect.stringContaining('disk full') });
  });

  it('observes the archive: rounds that failed to archive (from the check that sees them), or a parking after the last archived round', () => {
    const marks = { okAt: null, parkedAt: null, parkedError: null };
    expect(observeArchive([], marks, 0, rules).state).toBe('ok');
    const entry = (attempts: number) => ({ pollId: 'p', attempts, result: { finishedAt: 1_000 } }) as never;
    // Not tried yet, however long ago it finished (the room slept): not a stall.
    expect(observeArchive([entry(0)], marks, 3_600_000, rules).state).toBe('ok');
    expect(observeArchive([entry(3)], marks, 400_000, rules)).toMatchObject({ state: {}, downAfterMs: 300_000, detail: '1 finished round(s) not archived after up to 3 failed attempt(s), the oldest finished 7 min ago' });
    expect(observeArchive([], { okAt: 5, parkedAt: 10, parkedError: 'SQLSTATE 22P02' }, 20, rules)).toMatchObject({ state: { badSince: 10 }, downAfterMs: 0 });
    expect(observeArchive([], { okAt: 15, parkedAt: 10, parkedError: 'x' }, 20, rules).state).toBe('ok');
  });
});
