/**
 * Dev/test stand-in for the part of the YouTube Data API v3 a chat bridge reads: a real HTTP server on 127.0.0.1
 * answering under /youtube/v3 with the real API's shapes, so the bridge's own fetch client is what the tests drive.
 *
 * - `liveChat/messages` (liveChatMessages.list): pages of an append-only event log, `nextPageToken`,
 *   `pollingIntervalMillis`, `maxResults` 200–2000 (default 500); a first call without a token gets the recent
 *   history. Polling sooner than `pollingIntervalMillis` after the previous answer is refused with 403
 *   `rateLimitExceeded`, as YouTube refuses clients that poll faster than its refresh rate. The log keeps the last
 *   `keepMessages` (so a demo that runs for days stays small); a token from before that window resumes at the
 *   oldest message kept, as YouTube only ever gives recent history.
 * - `liveChat/messages/stream` (liveChatMessages.streamList, a server-streaming gRPC method reached through Google's
 *   HTTP/JSON transcoding): one 200 response held open that is a JSON array streamed element by element
 *   (`[{…}` then `\r\n,{…}` per batch, `]` at the end), the framing Google's own REST clients parse (gax-nodejs
 *   StreamArrayParser, python-api-core rest_streaming, gax-go ProtoJSONStream); with `alt=sse` the same elements as
 *   server-sent events (`data: {…}\r\n\r\n`). The first element is the recent history (or what follows `pageToken`),
 *   then one element per batch of new messages; each carries `nextPageToken`, none `pollingIntervalMillis` (the
 *   stream's response message has no such field). The server ends the response after `streamHoldMs` (YouTube closes
 *   its streams after about 10 s); the client resumes with the last token.
 * - `search` (eventType=live&type=video&channelId=…) and `videos` (part=liveStreamingDetails → activeLiveChatId):
 *   how a channel's live chat id is found with an API key.
 * - The key (`key` or `x-goog-api-key`) is required. Quota: every answered call costs what YouTube charges
 *   (QUOTA_COST), a refused one costs 1 ("all requests, including invalid requests, incur at least one point");
 *   past `dailyQuota` every call gets the real 403 `quotaExceeded` body.
 *
 * Failure switches for tests: `exhaustQuota()` / `resetQuota()` (Pacific midnight), `setStreaming(false)` (the
 * stream path answers 404 as Google's front end does for a path it does not serve), `endChat()` (open streams get a
 * `chatEndedEvent` with `offlineAt` and close; later calls get 403 `liveChatEnded`) and `goLive()` (a new broadcast
 * with a new chat). Never for production: nothing deployed imports it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { closeServer, listen, sendJson } from '../standins/http-util.ts';

/** Units per call, from YouTube's quota table (streamList: 5 per call, as list). */
export const QUOTA_COST = { 'liveChatMessages.list': 5, 'liveChatMessages.streamList': 5, 'search.list': 100, 'videos.list': 1 } as const;
export type YouTubeMethod = keyof typeof QUOTA_COST;

export interface LiveChatMessage {
  kind: 'youtube#liveChatMessage';
  etag: string;
  id: string;
  snippet: {
    type: 'textMessageEvent' | 'messageDeletedEvent' | 'chatEndedEvent';
    liveChatId: string;
    authorChannelId: string;
    publishedAt: string;
    hasDisplayContent: boolean;
    displayMessage?: string;
    textMessageDetails?: { messageText: string };
    messageDeletedDetails?: { deletedMessageId: string };
  };
  authorDetails: { channelId: string; channelUrl: string; displayName: string; profileImageUrl: string; isVerified: boolean; isChatOwner: boolean; isChatSponsor: boolean; isChatModerator: boolean };
}

export interface ApiCall {
  at: number;
  method: YouTubeMethod;
  status: number;
  pageToken?: string;
}

export interface FakeYouTubeOptions {
  port?: number;
  dailyQuota?: number;
  /** What list answers as `pollingIntervalMillis` (default 2,000; 0 is answered as it is). */
  pollingIntervalMillis?: number;
  /** Messages each chat keeps, the most recent (default 5,000). */
  keepMessages?: number;
  /** Calls `calls` keeps, the most recent (default 1,000). */
  keepCalls?: number;
  /** How long a streamList response stays open before the server ends it. */
  streamHoldMs?: number;
  /** Whether the channel starts with a live broadcast (default true). */
  live?: boolean;
}

export interface FakeYouTube {
  /** Base URL to use as YOUTUBE_API_URL, e.g. http://127.0.0.1:41234 */
  url: string;
  apiKey: string;
  channelId: string;
  /** The current broadcast's chat ('' while the channel is not live). */
  readonly liveChatId: string;
  readonly videoId: string;
  /** The last `keepCalls` calls, answered or refused, in order. */
  calls: ApiCall[];
  post(m: { channelId: string; displayName: string; text: string; publishedAt?: number }): LiveChatMessage;
  deleteMessage(id: string): void;
  exhaustQuota(): void;
  resetQuota(): void;
  quotaUsed(): number;
  setStreaming(on: boolean): void;
  endChat(): void;
  goLive(): { liveChatId: string; videoId: string };
  close(): Promise<void>;
}

/** An API key in Google's format (AIza + 35), for the client under test to send. */
export const FAKE_YOUTUBE_KEY = 'AIzaSyFAKE-local-youtube-key-0123456789';
const CHANNEL_ID = 'UCstreamfighterlocal0001';

interface OpenStream {
  cursor: number;
  flush(): void;
  end(): void;
}
interface Chat {
  id: string;
  videoId: string;
  startedAt: string;
  endedAt?: string;
  /** The most recent `keepMessages` events; `dropped` older ones came before `log[0]`. */
  log: LiveChatMessage[];
  dropped: number;
  streams: Set<OpenStream>;
  lastListAnswer: number;
}

/** YouTube's own timestamp shape for chat messages: microseconds and an explicit offset. */
const ytTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');
/** A page token: a position in the chat's whole log, dropped messages included, so it outlives the trimming. */
const token = (chat: Chat, offset: number) => Buffer.from(`${chat.id}\n${offset}`).toString('base64url');
/** The position after the chat's last event. */
const end = (chat: Chat) => chat.dropped + chat.log.length;
/** The kept events from `offset` on (an offset before the kept window reads from the oldest kept). */
const eventsFrom = (chat: Chat, offset: number, count = Infinity) => {
  const from = Math.max(0, offset - chat.dropped);
  return chat.log.slice(from, from + count);
};

class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly domain: string;
  /** Set on Google's platform-level errors (the key's), absent on YouTube's own. */
  readonly status: string | undefined;
  constructor(code: number, reason: string, message: string, domain = 'youtube.liveChat', status?: string) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.domain = domain;
    this.status = status;
  }
}
const QUOTA_MESSAGE = 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';

export async function startFakeYouTube(o: FakeYouTubeOptions = {}): Promise<FakeYouTube> {
  const dailyQuota = o.dailyQuota ?? 10_000;
  const pollingIntervalMillis = o.pollingIntervalMillis ?? 2_000;
  const streamHoldMs = o.streamHoldMs ?? 10_000;
  const keepMessages = o.keepMessages ?? 5_000;
  const keepCalls = o.keepCalls ?? 1_000;
  const chats = new Map<string, Chat>();
  const calls: ApiCall[] = [];
  let live: Chat | null = null;
  let used = 0;
  let streaming = true;

  const author = (channelId: string, displayName: string) => ({
    channelId,
    channelUrl: `http://www.youtube.com/channel/${channelId}`,
    displayName,
    profileImageUrl: 'https://yt3.ggpht.com/fake=s88-c-k-nd',
    isVerified: false,
    isChatOwner: channelId === CHANNEL_ID,
    isChatSponsor: false,
    isChatModerator: false,
  });

  const append = (chat: Chat, type: LiveChatMessage['snippet']['type'], by: { channelId: string; displayName: string }, at: number, extra: Partial<LiveChatMessage['snippet']>) => {
    const m: LiveChatMessage = {
      kind: 'youtube#liveChatMessage',
      etag: randomId(12),
      id: `LCC.${randomId(24)}`,
      snippet: { type, liveChatId: chat.id, authorChannelId: by.channelId, publishedAt: ytTime(at), hasDisplayContent: type === 'textMessageEvent', ...extra },
      authorDetails: author(by.channelId, by.displayName),
    };
    chat.log.push(m);
    if (chat.log.length > keepMessages) {
      chat.log.shift();
      chat.dropped++;
    }
    for (const s of chat.streams) s.flush();
    return m;
  };

  const goLive = () => {
    const chat: Chat = { id: `Cg0KC${randomId(30)}`, videoId: randomId(8).slice(0, 11), startedAt: ytTime(Date.now()), log: [], dropped: 0, streams: new Set(), lastListAnswer: 0 };
    chats.set(chat.id, chat);
    live = chat;
    return { liveChatId: chat.id, videoId: chat.videoId };
  };
  if (o.live ?? true) goLive();

  const page = (chat: Chat, items: LiveChatMessage[], next: number, parts: Set<string>, extra: Record<string, unknown> = {}) => ({
    kind: 'youtube#liveChatMessageListResponse',
    etag: randomId(12),
    ...(chat.endedAt ? { offlineAt: chat.endedAt } : {}),
    pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    nextPageToken: token(chat, next),
    ...extra,
    items: items.map((m) => ({ kind: m.kind, etag: m.etag, ...(parts.has('id') ? { id: m.id } : {}), ...(parts.has('snippet') ? { snippet: m.snippet } : {}), ...(parts.has('authorDetails') ? { authorDetails: m.authorDetails } : {}) })),
  });

  /** The chat, the parts and the log offset a list or streamList request asks for. */
  const chatRequest = (q: URLSearchParams) => {
    const chatId = q.get('liveChatId');
    if (!chatId) throw new ApiError(400, 'required', 'Required parameter: liveChatId', 'global');
    const partList = (q.get('part') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (partList.length === 0) throw new ApiError(400, 'required', 'Required parameter: part', 'global');
    const bad = partList.find((p) => !['id', 'snippet', 'authorDetails'].includes(p));
    if (bad) throw new ApiError(400, 'unknownPart', `'${bad}'`, 'youtube.part');
    const chat = chats.get(chatId);
    if (!chat) throw new ApiError(404, 'liveChatNotFound', 'The live chat that you are trying to retrieve cannot be found.');
    if (chat.endedAt) throw new ApiError(403, 'liveChatEnded', 'The live chat is no longer live.');
    const raw = q.get('maxResults');
    const maxResults = raw === null ? 500 : Number(raw);
    if (!Number.isInteger(maxResults) || maxResults < 200 || maxResults > 2_000) throw new ApiError(400, 'invalidValue', `Invalid value '${raw}'. Values must be within the range: [200, 2000]`, 'global');
    const pageToken = q.get('pageToken');
    let from: number | null = null;
    if (pageToken) {
      const [id, offset] = Buffer.from(pageToken, 'base64url').toString().split('\n');
      from = Number(offset);
      if (id !== chat.id || !Number.isInteger(from) || from < 0 || from > end(chat)) throw new ApiError(400, 'invalidPageToken', 'The request specifies an invalid page token.', 'global');
    }
    return { chat, parts: new Set(partList), maxResults, from };
  };

  const list = (res: ServerResponse, q: URLSearchParams) => {
    const { chat, parts, maxResults, from } = chatRequest(q);
    if (Date.now() - chat.lastListAnswer < pollingIntervalMillis * 0.9) {
      throw new ApiError(403, 'rateLimitExceeded', 'The request was sent too soon after the previous one. Wait pollingIntervalMillis between requests.');
    }
    const start = Math.max(from ?? end(chat) - maxResults, chat.dropped);
    const items = eventsFrom(chat, start, maxResults);
    chat.lastListAnswer = Date.now();
    sendJson(res, 200, page(chat, items, start + items.length, parts, { pollingIntervalMillis }));
  };

  const streamList = (res: ServerResponse, q: URLSearchParams) => {
    const { chat, parts, from } = chatRequest(q);
    const sse = q.get('alt') === 'sse';
    res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8', 'cache-control': 'no-cache' });
    let written = 0;
    let pending = false;
    const write = (element: unknown) => {
      const json = JSON.stringify(element);
      res.write(sse ? `data: ${json}\r\n\r\n` : `${written === 0 ? '[' : '\r\n,'}${json}`);
      written++;
    };
    const stream: OpenStream = {
      cursor: Math.max(from ?? end(chat) - 200, chat.dropped),
      // Messages posted in one tick go out as one element, as a burst does on the real stream.
      flush() {
        if (pending) return;
        pending = true;
        setImmediate(() => {
          pending = false;
          if (!chat.streams.has(stream) || stream.cursor === end(chat)) return;
          const items = eventsFrom(chat, stream.cursor);
          stream.cursor = end(chat);
          write(page(chat, items, stream.cursor, parts));
        });
      },
      end() {
        if (!chat.streams.delete(stream)) return;
        clearTimeout(hold);
        if (!sse) res.write(written === 0 ? '[]' : ']');
        res.end();
      },
    };
    const hold = setTimeout(() => stream.end(), streamHoldMs);
    chat.streams.add(stream);
    res.on('close', () => {
      chat.streams.delete(stream);
      clearTimeout(hold);
    });
    const first = eventsFrom(chat, stream.cursor);
    stream.cursor = end(chat);
    write(page(chat, first, stream.cursor, parts));
  };

  const search = (res: ServerResponse, q: URLSearchParams) => {
    if (q.get('part') !== 'snippet') throw new ApiError(400, 'required', 'Required parameter: part', 'global');
    if (q.get('eventType') && q.get('type') !== 'video') throw new ApiError(400, 'invalidSearchFilter', 'The request specifies an invalid search filter: eventType requires type=video.', 'youtube.search');
    const hit = live && q.get('eventType') === 'live' && q.get('channelId') === CHANNEL_ID ? [live] : [];
    sendJson(res, 200, {
      kind: 'youtube#searchListResponse',
      etag: randomId(12),
      regionCode: 'US',
      pageInfo: { totalResults: hit.length, resultsPerPage: 5 },
      items: hit.map((c) => ({
        kind: 'youtube#searchResult',
        etag: randomId(12),
        id: { kind: 'youtube#video', videoId: c.videoId },
        snippet: { publishedAt: c.startedAt, channelId: CHANNEL_ID, title: 'Stream Fighter (local)', description: '', channelTitle: 'Stream Fighter', liveBroadcastContent: 'live', publishTime: c.startedAt },
      })),
    });
  };

  const videos = (res: ServerResponse, q: URLSearchParams) => {
    if (!(q.get('part') ?? '').split(',').includes('liveStreamingDetails')) throw new ApiError(400, 'required', 'Required parameter: part', 'global');
    const ids = new Set((q.get('id') ?? '').split(','));
    const found = [...chats.values()].filter((c) => ids.has(c.videoId));
    sendJson(res, 200, {
      kind: 'youtube#videoListResponse',
      etag: randomId(12),
      pageInfo: { totalResults: found.length, resultsPerPage: found.length },
      items: found.map((c) => ({
        kind: 'youtube#video',
        etag: randomId(12),
        id: c.videoId,
        liveStreamingDetails: { actualStartTime: c.startedAt, ...(c.endedAt ? { actualEndTime: c.endedAt } : { concurrentViewers: '42', activeLiveChatId: c.id }) },
      })),
    });
  };

  const routes: Record<string, [YouTubeMethod, (res: ServerResponse, q: URLSearchParams) => void]> = {
    '/youtube/v3/liveChat/messages': ['liveChatMessages.list', list],
    '/youtube/v3/liveChat/messages/stream': ['liveChatMessages.streamList', streamList],
    '/youtube/v3/search': ['search.list', search],
    '/youtube/v3/videos': ['videos.list', videos],
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = routes[url.pathname];
    const pageToken = url.searchParams.get('pageToken');
    const call: ApiCall | undefined = route && { at: Date.now(), method: route[0], status: 200, ...(pageToken ? { pageToken } : {}) };
    if (call) {
      calls.push(call);
      if (calls.length > keepCalls) calls.shift();
    }
    if (!route || !call || req.method !== 'GET' || (call.method === 'liveChatMessages.streamList' && !streaming)) {
      // Google's front end answers a path it does not serve with an HTML page, not the JSON error format.
      if (call) call.status = 404;
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' }).end('<!DOCTYPE html><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins>');
      return;
    }
    const [method, handle] = route;
    try {
      const key = url.searchParams.get('key') ?? req.headers['x-goog-api-key'];
      if (!key) throw new ApiError(403, 'forbidden', 'The request is missing a valid API key.', 'global', 'PERMISSION_DENIED');
      if (key !== FAKE_YOUTUBE_KEY) throw new ApiError(400, 'badRequest', 'API key not valid. Please pass a valid API key.', 'global', 'INVALID_ARGUMENT');
      if (used + QUOTA_COST[method] > dailyQuota) throw new ApiError(403, 'quotaExceeded', QUOTA_MESSAGE, 'youtube.quota');
      handle(res, url.searchParams);
      used += QUOTA_COST[method];
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.domain !== 'youtube.quota' && e.status === undefined) used += 1;
      call.status = e.code;
      sendJson(res, e.code, { error: { code: e.code, message: e.message, errors: [{ message: e.message, domain: e.domain, reason: e.reason }], ...(e.status ? { status: e.status } : {}) } });
    }
  });
  const port = await listen(server, o.port ?? 0, '127.0.0.1');

  const current = () => {
    if (!live) throw new Error('the fake channel is not live: call goLive() first');
    return live;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: FAKE_YOUTUBE_KEY,
    channelId: CHANNEL_ID,
    get liveChatId() {
      return live?.id ?? '';
    },
    get videoId() {
      return live?.videoId ?? '';
    },
    calls,
    post: (m) => append(current(), 'textMessageEvent', m, m.publishedAt ?? Date.now(), { displayMessage: m.text, textMessageDetails: { messageText: m.text } }),
    deleteMessage(id) {
      const chat = current();
      if (!chat.log.some((m) => m.id === id)) throw new Error(`no message ${id} among the live chat's last ${keepMessages}`);
      append(chat, 'messageDeletedEvent', { channelId: CHANNEL_ID, displayName: 'Stream Fighter' }, Date.now(), { messageDeletedDetails: { deletedMessageId: id } });
    },
    exhaustQuota: () => void (used = dailyQuota),
    resetQuota: () => void (used = 0),
    quotaUsed: () => used,
    setStreaming: (on) => void (streaming = on),
    endChat() {
      const chat = current();
      chat.endedAt = ytTime(Date.now());
      append(chat, 'chatEndedEvent', { channelId: CHANNEL_ID, displayName: 'Stream Fighter' }, Date.now(), {});
      live = null;
      // The streams send what is left (the end event, with offlineAt) on the next tick, then close.
      setImmediate(() => {
        for (const s of [...chat.streams]) s.end();
      });
    },
    goLive,
    async close() {
      for (const chat of chats.values()) for (const s of [...chat.streams]) s.end();
      server.closeAllConnections();
      await closeServer(server);
    },
  };
}

/**
 * Simulated YouTube chatters for `npm start -- --demo`: a few viewers (stable channel ids) typing votes and
 * chatter into the fake's live chat. Returns a stop function.
 */
export function startFakeChatters(yt: FakeYouTube, o: { perSecond?: number; viewers?: number; random?: () => number } = {}): () => void {
  const random = o.random ?? Math.random;
  const viewers = Array.from({ length: o.viewers ?? 24 }, (_, i) => ({ channelId: `UCdemoviewer${String(i).padStart(12, '0')}`, displayName: `yt_viewer${i + 1}` }));
  const lines = ['!a', '!b', '!A', '!vote b', '!vote a', '!c', 'gg', 'lets go', 'that combo 🔥'];
  const timer = setInterval(() => {
    if (!yt.liveChatId) return;
    const who = viewers[Math.floor(random() * viewers.length)]!;
    yt.post({ ...who, text: lines[Math.floor(random() * lines.length)]! });
  }, 1_000 / (o.perSecond ?? 2));
  return () => clearInterval(timer);
}
