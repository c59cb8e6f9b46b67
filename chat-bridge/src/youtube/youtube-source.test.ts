// The YouTube source against the local YouTube Data API server (devstack/src/fakes/youtube-api.ts) over real
// sockets: its own fetch client, the streamed JSON array, list with pollingIntervalMillis, quota errors, deletions.
import { startFakeYouTube, type FakeYouTube, type FakeYouTubeOptions } from '@stream-fighter/devstack/fakes/youtube-api';
import { until } from '@stream-fighter/devstack/test-support/until';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import type { ChatLine } from '../source.ts';
import { YouTubeSource, type YouTubeSourceOptions } from './youtube-source.ts';

let yt: FakeYouTube | undefined;
let source: YouTubeSource | undefined;
afterEach(async () => {
  await source?.stop();
  await yt?.close();
  source = yt = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const viewer = (n: number) => ({ channelId: `UCviewer${String(n).padStart(16, '0')}`, displayName: `viewer${n}` });

async function setup(fake: FakeYouTubeOptions = {}, o: YouTubeSourceOptions & { mode?: 'chat' | 'channel'; apiKey?: string } = {}) {
  const y = (yt = await startFakeYouTube({ pollingIntervalMillis: 100, streamHoldMs: 400, ...fake }));
  const logs: string[] = [];
  const target = o.mode === 'channel' ? { channelId: y.channelId } : { liveChatId: y.liveChatId };
  // The tests poll list every 100–500 ms: below the source's 1-s floor, lowered here.
  const s = (source = new YouTubeSource({ apiKey: o.apiKey ?? y.apiKey, apiUrl: y.url, ...target }, { log: createLogger({ write: (l) => logs.push(l), level: 'debug' }), minPollMs: 50, ...o }));
  const lines: ChatLine[] = [];
  const start = () => s.start((l) => lines.push(l));
  return { y, s, lines, logs, start };
}
const connected = (s: YouTubeSource) => until('the source to be connected', () => s.status().state === 'connected', 3_000);
const calls = (y: FakeYouTube, method: string) => y.calls.filter((c) => c.method === method);

describe('YouTube source', () => {
  it('reads new messages from one held streamList call as they are posted, and skips the backlog', async () => {
    const { y, s, lines, start } = await setup({ streamHoldMs: 5_000 });
    y.post({ ...viewer(0), text: '!a from before the bridge started' });
    await sleep(20);
    start();
    expect(s.id).toBe(`youtube:${y.liveChatId}`);
    await connected(s);
    const posted = [y.post({ ...viewer(1), text: '!a' }), y.post({ ...viewer(2), text: '!vote b' }), y.post({ ...viewer(3), text: 'gg' })];
    const t0 = Date.now();
    await until('the three new lines', () => lines.length >= 3, 2_000);
    expect(Date.now() - t0, 'pushed on the open call, not at its end').toBeLessThan(1_000);
    expect(lines).toEqual(
      posted.map((m, i) => ({ id: m.id, voter: `youtube:${viewer(i + 1).channelId}`, name: `viewer${i + 1}`, line: m.snippet.displayMessage, at: Date.parse(m.snippet.publishedAt) })),
    );
    expect(calls(y, 'liveChatMessages.streamList')).toHaveLength(1);
    expect(calls(y, 'liveChatMessages.list')).toHaveLength(0);
    expect(s.status()).toEqual({ state: 'connected', detail: 'streaming (liveChatMessages.streamList)' });
  });

  it('resumes each stream the server ends from its page token: every message once, in order', async () => {
    const { y, s, lines, start } = await setup({ streamHoldMs: 300 });
    start();
    await connected(s);
    const texts: string[] = [];
    for (let i = 0; i < 25; i++) {
      texts.push(`!a ${i}`);
      y.post({ ...viewer(i), text: `!a ${i}` });
      await sleep(100);
    }
    await until('all 25 lines', () => lines.length >= 25, 3_000);
    expect(lines.map((l) => l.line)).toEqual(texts);
    const streams = calls(y, 'liveChatMessages.streamList');
    expect(streams.length, 'the stream was ended and resumed several times').toBeGreaterThanOrEqual(3);
    expect(streams.slice(1).every((c) => c.pageToken), 'every resumed call carries the last nextPageToken').toBe(true);
  });

  it('falls back to list when streamList is not served, waits pollingIntervalMillis between calls, and reads every page', async () => {
    const { y, s, lines, start } = await setup({ pollingIntervalMillis: 300 }, { maxResults: 200 });
    y.setStreaming(false);
    start();
    await connected(s);
    expect(s.status().detail).toBe('polling liveChatMessages.list every 0.3 s (streamList unavailable)');
    for (let i = 0; i < 450; i++) y.post({ ...viewer(i), text: `!b ${i}` });
    await until('450 lines over three pages', () => lines.length >= 450, 5_000);
    expect(lines.map((l) => l.line)).toEqual(Array.from({ length: 450 }, (_, i) => `!b ${i}`));
    expect(calls(y, 'liveChatMessages.streamList')).toEqual([expect.objectContaining({ status: 404 })]);
    const list = calls(y, 'liveChatMessages.list');
    expect(list.every((c) => c.status === 200), 'never refused with rateLimitExceeded').toBe(true);
    const gaps = list.slice(1).map((c, i) => c.at - list[i]!.at);
    expect(Math.min(...gaps), `gaps between list calls: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(295);
    expect(Math.max(...gaps), 'the server\'s interval, not a default of the client').toBeLessThan(1_000);
  });

  it('never polls list sooner than minPollMs after the last call, even when YouTube answers pollingIntervalMillis 0', async () => {
    const { y, s, lines, start } = await setup({ pollingIntervalMillis: 0 }, { minPollMs: 300 });
    y.setStreaming(false);
    start();
    await connected(s);
    expect(s.status().detail).toBe('polling liveChatMessages.list every 0.3 s (streamList unavailable)');
    y.post({ ...viewer(1), text: '!a' });
    await until('the vote', () => lines.length === 1, 2_000);
    await until('five list calls', () => calls(y, 'liveChatMessages.list').length >= 5, 3_000);
    const list = calls(y, 'liveChatMessages.list');
    const gaps = list.slice(1).map((c, i) => c.at - list[i]!.at);
    expect(Math.min(...gaps), `gaps between list calls: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(295);
  });

  it('backs off on quotaExceeded, says so in its status, and recovers when the quota is back', async () => {
    const { y, s, lines, start } = await setup({ streamHoldMs: 200 }, { quotaRetryMs: 1_500 });
    start();
    await connected(s);
    y.exhaustQuota();
    await until('the quota error in the status', () => s.status().state === 'error', 3_000);
    expect(s.status().detail).toMatch(/^YouTube API quota exceeded; retrying in 2 s$/);
    const refusedAt = y.calls.length;
    y.post({ ...viewer(7), text: '!a while the quota was out' });
    await sleep(1_000);
    expect(y.calls.length, 'no calls while backing off').toBe(refusedAt);
    y.resetQuota();
    await until('the line posted during the outage', () => lines.some((l) => l.line === '!a while the quota was out'), 4_000);
    expect(s.status().state).toBe('connected');
  });

  it('waits for midnight Pacific time after quotaExceeded when no retry is configured', async () => {
    const { y, s, start } = await setup();
    y.exhaustQuota();
    start();
    await until('the quota error in the status', () => s.status().state === 'error', 3_000);
    expect(s.status().detail).toMatch(/^YouTube API quota exceeded; retrying after midnight Pacific time, in (\d+ h )?\d+ min$/);
    await sleep(1_200);
    expect(y.calls).toHaveLength(1);
  });

  it('drops a vote whose deletion is on the same page (list), and survives a deletion after relaying (stream)', async () => {
    const { y, s, lines, start } = await setup({ pollingIntervalMillis: 500 });
    y.setStreaming(false);
    start();
    await connected(s);
    await sleep(100);
    const deleted = y.post({ ...viewer(1), text: '!a spam' });
    y.post({ ...viewer(2), text: '!b' });
    y.deleteMessage(deleted.id);
    await until('the vote that was not deleted', () => lines.some((l) => l.line === '!b'), 3_000);
    await sleep(600);
    expect(lines.map((l) => l.line)).toEqual(['!b']);

    await source!.stop();
    await yt!.close();
    const streamed = await setup({ streamHoldMs: 5_000 });
    streamed.start();
    await connected(streamed.s);
    const m = streamed.y.post({ ...viewer(3), text: '!a' });
    await until('the streamed vote', () => streamed.lines.length === 1, 2_000);
    streamed.y.deleteMessage(m.id);
    streamed.y.post({ ...viewer(4), text: '!b' });
    await until('the next vote after the deletion', () => streamed.lines.length === 2, 2_000);
    expect(streamed.s.status().state).toBe('connected');
  });

  it('passes hostile text through untouched and skips messages no voter id can be made of, without crashing', async () => {
    const { y, s, lines, start } = await setup({ streamHoldMs: 5_000 });
    start();
    await connected(s);
    const hostile = ['x'.repeat(200_000), '\u0000\u001b[31m!a\u0007\r\n', '🔥'.repeat(2_000), '!a \ud83d', '!ａ', '"}]\\', ''];
    for (const [i, text] of hostile.entries()) y.post({ ...viewer(i), text });
    y.post({ channelId: '../../etc/passwd', displayName: 'evil', text: '!a' });
    y.post({ channelId: `UC${'z'.repeat(80)}`, displayName: 'long', text: '!a' });
    y.post({ channelId: viewer(99).channelId, displayName: '', text: '!b last' });
    await until('the last line', () => lines.some((l) => l.line === '!b last'), 3_000);
    expect(lines.map((l) => l.line)).toEqual([...hostile, '!b last']);
    expect(lines.at(-1)!.name, 'no display name: the channel id').toBe(viewer(99).channelId);
    expect(s.status().state).toBe('connected');
  });

  it('finds the channel\'s live chat with search + videos and follows the channel to its next broadcast', async () => {
    const { y, s, lines, start } = await setup({ streamHoldMs: 5_000 }, { mode: 'channel', offlineLookMaxMs: 300 });
    expect(s.id).toBe(`youtube:${y.channelId}`);
    start();
    await connected(s);
    expect(calls(y, 'search.list')).toHaveLength(1);
    expect(calls(y, 'videos.list')).toHaveLength(1);
    y.post({ ...viewer(1), text: '!a first broadcast' });
    await until('the first broadcast\'s vote', () => lines.length === 1, 2_000);
    y.endChat();
    await until('the source to look for the next broadcast', () => /not live/.test(s.status().detail ?? ''), 3_000);
    expect(s.status().state).toBe('reconnecting');
    y.goLive();
    await connected(s);
    y.post({ ...viewer(2), text: '!b second broadcast' });
    await until('the second broadcast\'s vote', () => lines.length === 2, 3_000);
    expect(lines[1]!.line).toBe('!b second broadcast');
  });

  it('reports a chat that ended as an error and keeps checking, slowly', async () => {
    const { y, s, start } = await setup({ streamHoldMs: 5_000 }, { slowRetryMs: 400 });
    start();
    await connected(s);
    y.endChat();
    await until('the ended chat in the status', () => s.status().state === 'error', 2_000);
    expect(s.status().detail).toMatch(/has ended; checking again in 1 s$/);
    const before = y.calls.length;
    await sleep(1_000);
    expect(y.calls.length - before).toBeGreaterThanOrEqual(1);
    expect(y.calls.length - before).toBeLessThanOrEqual(3);
  });

  it('reports a rejected key without the key, and stop() ends a held call at once', async () => {
    const rejected = await setup({}, { apiKey: 'AIzaSyWRONG-key-that-must-stay-secret00' });
    rejected.start();
    await until('the key error in the status', () => rejected.s.status().state === 'error', 2_000);
    expect(rejected.s.status().detail).toBe('liveChat/messages/stream: 400 badRequest; retrying in 10 min');
    expect(rejected.logs.join('\n')).not.toContain('AIzaSyWRONG');
    await source!.stop();
    await yt!.close();

    const held = await setup({ streamHoldMs: 30_000 });
    held.start();
    await connected(held.s);
    const t0 = Date.now();
    await held.s.stop();
    expect(Date.now() - t0).toBeLessThan(500);
    const after = held.y.calls.length;
    await sleep(300);
    expect(held.y.calls.length).toBe(after);
  });
});
