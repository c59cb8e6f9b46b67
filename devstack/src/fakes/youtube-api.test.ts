// The YouTube stand-in's wire format, driven with plain fetch: what the chat bridge's client (and Google's own REST
// clients) must be able to read, byte for byte where it matters (the streamed JSON array, the error bodies).
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../test-support/until.ts';
import { QUOTA_COST, startFakeChatters, startFakeYouTube, type FakeYouTube, type FakeYouTubeOptions } from './youtube-api.ts';

let yt: FakeYouTube;
const start = async (o: FakeYouTubeOptions = {}) => (yt = await startFakeYouTube({ pollingIntervalMillis: 50, ...o }));
afterEach(() => yt?.close());

const call = (path: string, params: Record<string, string>, key: string | null = yt.apiKey) =>
  fetch(`${yt.url}/youtube/v3/${path}?${new URLSearchParams({ ...params, ...(key ? { key } : {}) })}`);
const chat = (extra: Record<string, string> = {}) => ({ liveChatId: yt.liveChatId, part: 'id,snippet,authorDetails', ...extra });
const viewer = (n: number) => ({ channelId: `UCviewer${String(n).padStart(16, '0')}`, displayName: `viewer${n}` });

interface Page {
  nextPageToken: string;
  pollingIntervalMillis?: number;
  offlineAt?: string;
  items: Array<{ id: string; snippet: { type: string; publishedAt: string; displayMessage?: string; messageDeletedDetails?: { deletedMessageId: string } }; authorDetails: { channelId: string } }>;
}
const list = async (extra: Record<string, string> = {}) => {
  const res = await call('liveChat/messages', chat(extra));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
};
/** The complete elements of a streamed JSON array received so far (the array closed by hand if still open). */
const elementsSoFar = (text: string): Page[] => {
  try {
    return JSON.parse(text.endsWith(']') ? text : `${text}]`) as Page[];
  } catch {
    return [];
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a streaming response as it arrives; `text()` is everything so far. */
function reader(res: Response) {
  let text = '';
  let done = false;
  const r = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { value, done: end } = await r.read();
      if (end) break;
      text += decoder.decode(value, { stream: true });
    }
    done = true;
  })();
  return { text: () => text, done: () => done };
}

describe('fake YouTube Data API', () => {
  it('refuses a missing key (403) and a wrong key (400) with Google\'s error bodies, at no quota', async () => {
    await start();
    const missing = await call('liveChat/messages', chat(), null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({
      error: { code: 403, message: 'The request is missing a valid API key.', errors: [{ message: 'The request is missing a valid API key.', domain: 'global', reason: 'forbidden' }], status: 'PERMISSION_DENIED' },
    });
    const wrong = await call('liveChat/messages', chat(), 'AIzaWRONG');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 400, errors: [{ reason: 'badRequest' }], status: 'INVALID_ARGUMENT' } });
    // The key also goes in a header, which keeps it out of URLs and logs.
    const header = await fetch(`${yt.url}/youtube/v3/liveChat/messages?${new URLSearchParams(chat())}`, { headers: { 'x-goog-api-key': yt.apiKey } });
    expect(header.status).toBe(200);
    expect(yt.quotaUsed()).toBe(QUOTA_COST['liveChatMessages.list']);
  });

  it('pages the chat with nextPageToken and maxResults, and says how long to wait', async () => {
    await start();
    const first = await list();
    expect(first).toMatchObject({ kind: 'youtube#liveChatMessageListResponse', pollingIntervalMillis: 50, items: [] });
    for (let i = 0; i < 450; i++) yt.post({ ...viewer(i), text: `!a ${i}` });
    const texts: string[] = [];
    let tokenNow = first.nextPageToken;
    for (const expected of [200, 200, 50, 0]) {
      await sleep(50);
      const p = await list({ pageToken: tokenNow, maxResults: '200' });
      expect(p.items).toHaveLength(expected);
      texts.push(...p.items.map((m) => m.snippet.displayMessage!));
      tokenNow = p.nextPageToken;
    }
    expect(texts).toEqual(Array.from({ length: 450 }, (_, i) => `!a ${i}`));
    // A first call without a token gets the recent history, newest last.
    await sleep(50);
    const history = await list({ maxResults: '200' });
    expect(history.items.at(-1)).toMatchObject({ kind: 'youtube#liveChatMessage', snippet: { type: 'textMessageEvent', displayMessage: '!a 449', textMessageDetails: { messageText: '!a 449' } }, authorDetails: { channelId: viewer(449).channelId, displayName: 'viewer449' } });
    expect(history.items.at(-1)!.snippet.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });

  it('keeps the last keepMessages messages and keepCalls calls; a token from before the window resumes at the oldest kept', async () => {
    await start({ keepMessages: 10, keepCalls: 4, pollingIntervalMillis: 0 });
    const texts = (p: Page) => p.items.map((m) => m.snippet.displayMessage);
    const first = await list();
    for (let i = 0; i < 5; i++) yt.post({ ...viewer(i), text: `m${i}` });
    const read = await list({ pageToken: first.nextPageToken });
    expect(texts(read)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    for (let i = 5; i < 25; i++) yt.post({ ...viewer(i), text: `m${i}` });
    const kept = Array.from({ length: 10 }, (_, i) => `m${15 + i}`);
    // Both tokens point before the 10 kept (m15…m24): each reads on from m15.
    const fromOld = await list({ pageToken: first.nextPageToken });
    expect(texts(fromOld)).toEqual(kept);
    expect(texts(await list({ pageToken: read.nextPageToken }))).toEqual(kept);
    expect(texts(await list())).toEqual(kept);
    // A token inside the window still reads exactly what follows it.
    yt.post({ ...viewer(25), text: 'm25' });
    expect(texts(await list({ pageToken: fromOld.nextPageToken }))).toEqual(['m25']);
    const stream = reader(await call('liveChat/messages/stream', chat({ pageToken: first.nextPageToken })));
    const element = await until('the stream\'s first element', () => elementsSoFar(stream.text())[0], 1_000);
    expect(texts(element)).toEqual(Array.from({ length: 10 }, (_, i) => `m${16 + i}`));
    expect(() => yt.deleteMessage(read.items[0]!.id), 'a message no longer kept').toThrow(/among the live chat's last 10/);
    expect(yt.calls.map((c) => c.method), 'the last 4 of 7 calls').toEqual([...Array(3).fill('liveChatMessages.list'), 'liveChatMessages.streamList']);
  });

  it('refuses polling faster than pollingIntervalMillis with 403 rateLimitExceeded', async () => {
    await start({ pollingIntervalMillis: 1_000 });
    await list();
    const tooSoon = await call('liveChat/messages', chat());
    expect(tooSoon.status).toBe(403);
    expect(await tooSoon.json()).toMatchObject({ error: { code: 403, errors: [{ domain: 'youtube.liveChat', reason: 'rateLimitExceeded' }] } });
  });

  it('refuses bad parameters with 400 and an unknown chat with 404 liveChatNotFound', async () => {
    await start();
    const reasons = async (path: string, params: Record<string, string>) => {
      const res = await call(path, params);
      return [res.status, ((await res.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]!.reason];
    };
    expect(await reasons('liveChat/messages', { part: 'snippet' })).toEqual([400, 'required']);
    expect(await reasons('liveChat/messages', chat({ part: 'snippet,bogus' }))).toEqual([400, 'unknownPart']);
    expect(await reasons('liveChat/messages', chat({ maxResults: '5' }))).toEqual([400, 'invalidValue']);
    expect(await reasons('liveChat/messages', chat({ pageToken: 'garbage' }))).toEqual([400, 'invalidPageToken']);
    expect(await reasons('liveChat/messages/stream', chat({ liveChatId: 'Cg0KCnope' }))).toEqual([404, 'liveChatNotFound']);
    expect(await reasons('search', { part: 'snippet', channelId: yt.channelId, eventType: 'live' })).toEqual([400, 'invalidSearchFilter']);
  });

  it('streams a JSON array element by element on one held response, then ends it; the token resumes', async () => {
    await start({ streamHoldMs: 1_500 });
    yt.post({ ...viewer(1), text: 'before' });
    const res = await call('liveChat/messages/stream', chat());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = reader(res);
    await until('the first element (the history)', () => body.text().startsWith('[{') && body.text().includes('before'), 1_000);
    const opened = Date.now();
    yt.post({ ...viewer(2), text: 'live one' });
    yt.post({ ...viewer(3), text: 'live two' });
    await until('the new messages pushed on the open response', () => body.text().includes('live two'), 1_000);
    expect(Date.now() - opened, 'pushed at once, not at the end of the hold').toBeLessThan(500);
    expect(body.done()).toBe(false);
    await until('the server to end the response after streamHoldMs', () => body.done(), 3_000);
    expect(body.text()).toMatch(/^\[\{.*\}\r\n,\{.*\}\]$/s);
    const elements = JSON.parse(body.text()) as Page[];
    expect(elements.map((e) => e.items.map((m) => m.snippet.displayMessage))).toEqual([['before'], ['live one', 'live two']]);
    expect(elements.every((e) => e.pollingIntervalMillis === undefined && e.nextPageToken)).toBe(true);

    yt.post({ ...viewer(4), text: 'while away' });
    const resumed = reader(await call('liveChat/messages/stream', chat({ pageToken: elements.at(-1)!.nextPageToken })));
    const firstResumed = await until('the resumed stream\'s first element', () => elementsSoFar(resumed.text())[0], 1_000);
    expect(firstResumed.items.map((m) => m.snippet.displayMessage)).toEqual(['while away']);
    expect(yt.calls.filter((c) => c.method === 'liveChatMessages.streamList')).toHaveLength(2);
    expect(yt.quotaUsed()).toBe(2 * QUOTA_COST['liveChatMessages.streamList']);
  });

  it('streams server-sent events with alt=sse', async () => {
    await start({ streamHoldMs: 300 });
    yt.post({ ...viewer(1), text: 'hello' });
    const res = await call('liveChat/messages/stream', chat({ alt: 'sse' }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\r\n\r\n').filter(Boolean);
    expect(events).toHaveLength(1);
    expect((JSON.parse(events[0]!.replace(/^data: /, '')) as Page).items[0]!.snippet.displayMessage).toBe('hello');
  });

  it('answers 404 (an HTML page, as Google does) on the stream path when streaming is switched off', async () => {
    await start();
    yt.setStreaming(false);
    const res = await call('liveChat/messages/stream', chat());
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await call('liveChat/messages', chat())).status).toBe(200);
  });

  it('logs a deletion as a messageDeletedEvent after the message', async () => {
    await start();
    const m = yt.post({ ...viewer(1), text: '!b' });
    yt.deleteMessage(m.id);
    const p = await list();
    expect(p.items.map((i) => i.snippet.type)).toEqual(['textMessageEvent', 'messageDeletedEvent']);
    expect(p.items[1]!.snippet.messageDeletedDetails).toEqual({ deletedMessageId: m.id });
  });

  it('charges the real costs and answers the real quotaExceeded body past the daily quota, until reset', async () => {
    await start({ dailyQuota: 120 });
    const search = await call('search', { part: 'snippet', channelId: yt.channelId, eventType: 'live', type: 'video' });
    expect(search.status).toBe(200);
    const videoId = ((await search.json()) as { items: Array<{ id: { videoId: string } }> }).items[0]!.id.videoId;
    const videos = await call('videos', { part: 'liveStreamingDetails', id: videoId });
    expect(((await videos.json()) as { items: Array<{ liveStreamingDetails: { activeLiveChatId: string } }> }).items[0]!.liveStreamingDetails.activeLiveChatId).toBe(yt.liveChatId);
    await list();
    expect(yt.quotaUsed()).toBe(100 + 1 + 5);
    yt.exhaustQuota();
    const refused = await call('liveChat/messages', chat());
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: {
        code: 403,
        message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
        errors: [{ message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', domain: 'youtube.quota', reason: 'quotaExceeded' }],
      },
    });
    yt.resetQuota();
    await sleep(50);
    expect((await call('liveChat/messages', chat())).status).toBe(200);
  });

  it('ends a chat: open streams get chatEndedEvent and offlineAt, then 403 liveChatEnded; a new broadcast has a new chat', async () => {
    await start({ streamHoldMs: 5_000 });
    const ended = yt.liveChatId;
    const endedVideo = yt.videoId;
    const open = reader(await call('liveChat/messages/stream', chat()));
    await until('the first element', () => open.text().startsWith('[{'), 1_000);
    yt.endChat();
    await until('the stream to close after the end event', () => open.done(), 1_000);
    const last = (JSON.parse(open.text()) as Page[]).at(-1)!;
    expect(last.offlineAt).toBeTruthy();
    expect(last.items.map((i) => i.snippet.type)).toEqual(['chatEndedEvent']);
    const after = await call('liveChat/messages', { liveChatId: ended, part: 'snippet' });
    expect([after.status, ((await after.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]!.reason]).toEqual([403, 'liveChatEnded']);
    const none = await call('search', { part: 'snippet', channelId: yt.channelId, eventType: 'live', type: 'video' });
    expect(((await none.json()) as { items: unknown[] }).items).toEqual([]);
    const old = await call('videos', { part: 'liveStreamingDetails', id: endedVideo });
    const details = ((await old.json()) as { items: Array<{ liveStreamingDetails: Record<string, string> }> }).items[0]!.liveStreamingDetails;
    expect(details.actualEndTime).toBeTruthy();
    expect(details.activeLiveChatId).toBeUndefined();
    const next = yt.goLive();
    expect(next.liveChatId).not.toBe(ended);
    expect(yt.liveChatId).toBe(next.liveChatId);
  });

  it('simulated chatters post into the live chat', async () => {
    await start();
    const stop = startFakeChatters(yt, { perSecond: 50 });
    try {
      await until('a few chatter lines', async () => (await list()).items.length >= 3, 2_000, 60);
    } finally {
      stop();
    }
  });
});
