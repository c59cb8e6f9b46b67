/**
 * A YouTube live chat as a chat source, read with an API key.
 *
 * - streamList first: one call held open, new messages pushed as they are posted; the server ends each call after
 *   about 10 s and the next call resumes from the last `nextPageToken`, so nothing is missed or read twice.
 * - list as the fallback when the stream path is not served (404/405/501, or a body that is not a streamed array),
 *   waiting `pollingIntervalMillis` between calls as YouTube asks (it refuses faster polling), and never less than
 *   `minPollMs`: an answer of 0 (or a few ms) must not turn the fallback into a loop at 5 units a call.
 * - YOUTUBE_CHANNEL_ID instead of a chat id: the chat of the channel's live broadcast (search.list + videos.list,
 *   101 units), looked up again when that chat ends; while the channel is not live, looks back off to one every
 *   `offlineLookMaxMs` (each look costs 101 units of the 10,000 a day).
 * - The backlog YouTube sends on first connect never votes: only messages published since `start()` do.
 * - quotaExceeded: the source waits until the quota resets (midnight Pacific time) or `quotaRetryMs`, reports it in
 *   its status and never throws; every other failure is retried with a backoff, forever, until `stop()`.
 * - A message deleted by a moderator before the source read it does not vote (its messageDeletedEvent is on the
 *   same page). One deleted after the source passed it on has already gone to the room, which cannot take a vote
 *   back: on the stream, which delivers within a second, that is almost every deletion.
 */
import { ChatSourceId, type ChatSourceState } from '@stream-fighter/core';
import type { YoutubeConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ChatLine, ChatSource } from '../source.ts';
import { StreamFormatError } from './json-array-stream.ts';
import { nextPacificMidnight } from './pacific-midnight.ts';
import { YouTubeApiError, youtubeApi, type YouTubeApi } from './youtube-api-client.ts';
import { pageLines, type ChatPage } from './youtube-page.ts';

export interface YouTubeSourceOptions {
  log?: Logger;
  /** Wait this long after quotaExceeded instead of until the next midnight Pacific time. */
  quotaRetryMs?: number;
  /** Channel mode: the longest wait between two looks for a live broadcast. */
  offlineLookMaxMs?: number;
  /** Wait after a failure a quick retry will not fix (rejected key, ended chat id, chat disabled). */
  slowRetryMs?: number;
  /** Messages per list page, 200–2000: the largest means the fewest calls in a burst. */
  maxResults?: number;
  /** The least wait between two list calls, whatever `pollingIntervalMillis` says (default 1 s). */
  minPollMs?: number;
}

const MIN_STREAM_GAP_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** Message ids already passed on, so a history read again after a fallback or a re-resolve does not vote twice. */
const SEEN_IDS = 20_000;

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, secret() {} };

export class YouTubeSource implements ChatSource {
  readonly id: ChatSourceId;
  private readonly config: YoutubeConfig;
  private readonly api: YouTubeApi;
  private readonly log: Logger;
  private readonly o: Required<Omit<YouTubeSourceOptions, 'log' | 'quotaRetryMs'>> & Pick<YouTubeSourceOptions, 'quotaRetryMs'>;
  private state: ChatSourceState = 'connecting';
  private detail: string | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private startedAt = 0;
  private readonly seen = new Set<string>();
  // The chat being read and where in it: kept across failures, so a retry resumes rather than starts over.
  private chatId: string | undefined;
  private endedChatId: string | undefined;
  private pageToken: string | undefined;
  private streaming = true;
  private lastStreamCall = 0;
  private pollingMs = 5_000;

  constructor(config: YoutubeConfig, options: YouTubeSourceOptions = {}) {
    this.config = config;
    this.id = ChatSourceId.parse(`youtube:${config.liveChatId ?? config.channelId}`);
    this.api = youtubeApi({ baseUrl: config.apiUrl, apiKey: config.apiKey });
    this.log = options.log ?? quiet;
    this.log.secret(config.apiKey);
    this.o = { offlineLookMaxMs: 30 * 60_000, slowRetryMs: 10 * 60_000, maxResults: 2_000, minPollMs: 1_000, ...options };
    this.chatId = config.liveChatId;
    if (!this.chatId) this.detail = `looking for the live broadcast of channel ${config.channelId}`;
  }

  start(onLine: (line: ChatLine) => void): void {
    if (this.loop) return;
    this.startedAt = Date.now();
    this.loop = this.run(onLine);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  status(): { state: ChatSourceState; detail?: string } {
    return this.detail ? { state: this.state, detail: this.detail } : { state: this.state };
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private set(state: ChatSourceState, detail?: string): void {
    // The room keeps at most 200 characters of it.
    detail = detail?.slice(0, 200);
    if (state !== this.state || detail !== this.detail) this.log[state === 'error' ? 'warn' : 'info']('youtube.state', { source: this.id, state, detail });
    this.state = state;
    this.detail = detail;
  }

  private async run(onLine: (line: ChatLine) => void): Promise<void> {
    let failures = 0;
    let offlineLooks = 0;
    while (!this.stopped) {
      try {
        if (!this.chatId) {
          const found = await this.api.findLiveChat(this.config.channelId!, this.abort.signal);
          // Search lags behind: an ended broadcast can still be listed as live for a while.
          if (!found || found === this.endedChatId) {
            const wait = Math.min(60_000 * 2 ** offlineLooks++, this.o.offlineLookMaxMs);
            this.set('reconnecting', `channel ${this.config.channelId} is not live; looking again in ${duration(wait)}`);
            await this.sleep(wait);
            continue;
          }
          offlineLooks = 0;
          this.follow(found);
        }
        const ended = this.streaming ? await this.streamOnce(onLine) : await this.pollOnce(onLine);
        failures = 0;
        if (ended) await this.chatEnded();
      } catch (e) {
        if (this.stopped) break;
        await this.failed(e, ++failures);
      }
    }
  }

  private follow(chatId: string): void {
    this.log.info('youtube.chat', { source: this.id, liveChatId: chatId });
    this.chatId = chatId;
    this.pageToken = undefined;
    this.streaming = true;
  }

  /** One streamList call, read to its end. True when the chat ended. */
  private async streamOnce(onLine: (line: ChatLine) => void): Promise<boolean> {
    // Streams last ~10 s; one that keeps ending at once must not turn into a loop that burns the quota.
    await this.sleep(this.lastStreamCall + MIN_STREAM_GAP_MS - Date.now());
    this.lastStreamCall = Date.now();
    try {
      for await (const page of this.api.stream(this.chatId!, this.pageToken, this.abort.signal)) {
        this.set('connected', 'streaming (liveChatMessages.streamList)');
        if (this.take(page, onLine)) return true;
      }
      return false;
    } catch (e) {
      if (!streamUnavailable(e)) throw e;
      this.log.warn('youtube.stream-unavailable', { source: this.id, error: e });
      // The stream's token is not promised to work for list; the history list returns is read instead, and
      // what was already passed on is recognised by its id.
      this.streaming = false;
      this.pageToken = undefined;
      return false;
    }
  }

  /** One list call, then the wait YouTube asks for (at least `minPollMs`). True when the chat ended. */
  private async pollOnce(onLine: (line: ChatLine) => void): Promise<boolean> {
    const page = await this.api.list(this.chatId!, this.pageToken, this.o.maxResults, this.abort.signal);
    this.pollingMs = Math.max(page.pollingIntervalMillis ?? this.pollingMs, this.o.minPollMs);
    this.set('connected', `polling liveChatMessages.list every ${(this.pollingMs / 1000).toFixed(1)} s (streamList unavailable)`);
    if (this.take(page, onLine)) return true;
    await this.sleep(this.pollingMs);
    return false;
  }

  /** Passes a page's votes on; true when the page says the chat is over. */
  private take(page: ChatPage, onLine: (line: ChatLine) => void): boolean {
    this.pageToken = page.nextPageToken ?? this.pageToken;
    const { lines, ended, malformed } = pageLines(page, this.startedAt);
    if (malformed > 0) this.log.warn('youtube.malformed-messages', { source: this.id, count: malformed });
    for (const line of lines) {
      if (this.seen.has(line.id)) continue;
      this.seen.add(line.id);
      if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
      try {
        onLine(line);
      } catch (e) {
        this.log.error('youtube.line-handler', { source: this.id, error: e });
      }
    }
    return ended;
  }

  private async chatEnded(): Promise<void> {
    this.endedChatId = this.chatId;
    if (this.config.channelId) {
      this.set('reconnecting', `live chat ended; looking for the next live broadcast of channel ${this.config.channelId}`);
      this.chatId = undefined;
      return;
    }
    this.set('error', `live chat ${this.chatId} has ended; checking again in ${duration(this.o.slowRetryMs)}`);
    await this.sleep(this.o.slowRetryMs);
  }

  private async failed(e: unknown, failures: number): Promise<void> {
    this.log.warn('youtube.call-failed', { source: this.id, error: e, failures });
    if (e instanceof YouTubeApiError) {
      if (e.reason === 'quotaExceeded') {
        const wait = this.o.quotaRetryMs ?? nextPacificMidnight(Date.now()) + 60_000 - Date.now();
        this.set('error', `YouTube API quota exceeded; retrying ${this.o.quotaRetryMs === undefined ? 'after midnight Pacific time, ' : ''}in ${duration(wait)}`);
        return this.sleep(wait);
      }
      if (e.reason === 'rateLimitExceeded' || e.reason === 'userRequestsExceedRateLimit') {
        const wait = Math.max(this.pollingMs, 1_000 * failures);
        this.set('reconnecting', `YouTube says too many requests (${e.reason}); waiting ${duration(wait)}`);
        return this.sleep(wait);
      }
      if (e.reason === 'liveChatEnded' || (e.reason === 'liveChatNotFound' && this.config.channelId)) return this.chatEnded();
      if (e.reason === 'invalidPageToken') {
        this.pageToken = undefined;
        return this.sleep(1_000);
      }
      if (e.status >= 400 && e.status < 500) {
        this.set('error', `${e.message}; retrying in ${duration(this.o.slowRetryMs)}`);
        return this.sleep(this.o.slowRetryMs);
      }
    }
    const wait = Math.min(1_000 * 2 ** (failures - 1), MAX_BACKOFF_MS);
    this.set('reconnecting', `${describe(e)}; retrying in ${duration(wait)}`);
    return this.sleep(wait);
  }

  /** Resolves after `ms`, or at once when the source stops. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }
}

/** The stream path is not served here (or something other than the API answers it): read with list instead. */
function streamUnavailable(e: unknown): boolean {
  if (e instanceof StreamFormatError) return !e.started;
  return e instanceof YouTubeApiError && ([405, 501].includes(e.status) || (e.status === 404 && e.reason !== 'liveChatNotFound'));
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e).slice(0, 120);
  const cause = (e.cause as { code?: string } | undefined)?.code;
  return `${e.message}${cause ? ` (${cause})` : ''}`.slice(0, 120);
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} s`;
  const minutes = Math.ceil(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
