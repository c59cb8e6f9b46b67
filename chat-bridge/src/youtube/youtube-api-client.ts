/**
 * The YouTube Data API v3 calls the YouTube source makes, over plain fetch. No official client fits: googleapis is
 * generated from the REST discovery document, which has no streamList (a server-streaming gRPC method), and the
 * gRPC route needs @grpc/grpc-js plus the proto file; Google's HTTP/JSON transcoding serves the same stream as a
 * streamed JSON array, which fetch reads as it arrives (json-array-stream.ts).
 *
 * The key goes in the `x-goog-api-key` header rather than the `key` query parameter, so no URL carries it.
 */
import { z } from 'zod';
import { jsonArrayElements } from './json-array-stream.ts';
import { ChatPage } from './youtube-page.ts';

/** A refusal from the API: HTTP status plus YouTube's reason (`quotaExceeded`, `liveChatEnded`, …). */
export class YouTubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'YouTubeApiError';
    this.status = status;
    this.reason = reason;
  }
}

const GoogleError = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});

const SearchList = z.object({ items: z.array(z.object({ id: z.object({ videoId: z.string().optional() }).optional() })).default([]) });
const VideoList = z.object({ items: z.array(z.object({ liveStreamingDetails: z.object({ activeLiveChatId: z.string().optional() }).optional() })).default([]) });

/** A list call or a stream element can take a while, but not forever: a hung socket must not stop the source. */
const CALL_TIMEOUT_MS = 20_000;
/** The server sends an element per batch of messages and ends the call after ~10 s; silence past this is a dead socket. */
const STREAM_IDLE_MS = 45_000;

export interface YouTubeApi {
  list(liveChatId: string, pageToken: string | undefined, maxResults: number, signal: AbortSignal): Promise<ChatPage>;
  stream(liveChatId: string, pageToken: string | undefined, signal: AbortSignal): AsyncGenerator<ChatPage>;
  /** The live chat of the channel's current live broadcast, or null when it is not live. Costs 101 units. */
  findLiveChat(channelId: string, signal: AbortSignal): Promise<string | null>;
}

export function youtubeApi(o: { baseUrl: string; apiKey: string }): YouTubeApi {
  const call = async (path: string, params: Record<string, string | undefined>, signal: AbortSignal): Promise<Response> => {
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
    const res = await fetch(`${o.baseUrl}/youtube/v3/${path}?${query}`, { headers: { 'x-goog-api-key': o.apiKey, accept: 'application/json' }, signal });
    if (!res.ok) throw await refusal(res, path);
    return res;
  };
  const json = async (path: string, params: Record<string, string | undefined>, signal: AbortSignal): Promise<unknown> => {
    const res = await call(path, params, AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]));
    return res.json();
  };
  const chatParams = (liveChatId: string, pageToken: string | undefined) => ({ liveChatId, part: 'id,snippet,authorDetails', pageToken });

  return {
    async list(liveChatId, pageToken, maxResults, signal) {
      return ChatPage.parse(await json('liveChat/messages', { ...chatParams(liveChatId, pageToken), maxResults: String(maxResults) }, signal));
    },

    async *stream(liveChatId, pageToken, signal) {
      const idle = new AbortController();
      let timer = setTimeout(() => idle.abort(new Error(`no data from streamList for ${STREAM_IDLE_MS / 1000} s`)), STREAM_IDLE_MS);
      const alive = () => {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(new Error(`no data from streamList for ${STREAM_IDLE_MS / 1000} s`)), STREAM_IDLE_MS);
      };
      try {
        const res = await call('liveChat/messages/stream', chatParams(liveChatId, pageToken), AbortSignal.any([signal, idle.signal]));
        const body = res.body;
        if (!body) return;
        async function* watched() {
          for await (const chunk of body!) {
            alive();
            yield chunk;
          }
        }
        for await (const element of jsonArrayElements(watched())) {
          // A failure after the 200 went out arrives as the stream's last element, in the error format.
          const failed = GoogleError.safeParse(element);
          if (failed.success) throw fromGoogleError(failed.data, failed.data.error.code ?? 500, 'liveChat/messages/stream');
          yield ChatPage.parse(element);
        }
      } finally {
        clearTimeout(timer);
      }
    },

    async findLiveChat(channelId, signal) {
      const found = SearchList.parse(await json('search', { part: 'snippet', channelId, eventType: 'live', type: 'video' }, signal));
      const videoIds = found.items.flatMap((i) => (i.id?.videoId ? [i.id.videoId] : []));
      if (videoIds.length === 0) return null;
      const videos = VideoList.parse(await json('videos', { part: 'liveStreamingDetails', id: videoIds.join(',') }, signal));
      return videos.items.find((v) => v.liveStreamingDetails?.activeLiveChatId)?.liveStreamingDetails?.activeLiveChatId ?? null;
    },
  };
}

function fromGoogleError(body: z.infer<typeof GoogleError>, status: number, path: string): YouTubeApiError {
  const reason = body.error.errors?.[0]?.reason ?? body.error.status ?? `http${status}`;
  return new YouTubeApiError(status, reason, `${path}: ${status} ${reason}`);
}

async function refusal(res: Response, path: string): Promise<YouTubeApiError> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not Google's JSON error format (an HTML error page, a proxy): the status is all there is.
  }
  const parsed = GoogleError.safeParse(body);
  return parsed.success ? fromGoogleError(parsed.data, res.status, path) : new YouTubeApiError(res.status, `http${res.status}`, `${path}: ${res.status} ${res.statusText}`.trim());
}
