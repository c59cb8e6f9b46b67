/**
 * CHAT_ANNOUNCE: one message per round in each chat the bridge can post in ("Iron Mara vs Zip Zero: type !a / !b
 * in chat to vote"). Only a source with `say` posts: a Twitch bot login; YouTube's API key can read chat but not
 * write to it. The rounds come from the room's WebSocket, as a viewer page gets them. Only the bridge that holds a
 * chat's lease announces in it: a standby reading the same chat stays quiet.
 *
 * Never more than one message per `minIntervalMs` in a chat, whatever the rounds do: Twitch lets an account post
 * 20 messages in 30 s, so this is about viewers, not the platform's limit. A round that goes live inside that gap
 * is skipped rather than queued (a late announcement would name a round that has moved on), and so is a round the
 * bridge first sees with less than LATE_MS left.
 */
import { RESYNC_MESSAGE, RoomFeed, VIEWER_PING_MS, feedRoomMessage, pingMessage, type RoundState, type Snapshot } from '@stream-fighter/core';
import { chatCommands } from '@stream-fighter/view/chat-commands';
import { translator, type Translate } from '@stream-fighter/view/words';
import type { Lang } from '@stream-fighter/view/languages';
import type { Logger } from './log.ts';
import type { ChatSource } from './source.ts';

const LATE_MS = 10_000;
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export function announcement(round: RoundState, t: Translate): string {
  // Written as the stream and the overlay write them, so chat reads the same commands the picture shows.
  return t('chat.announce', { title: round.matchup.title, commands: chatCommands(round.matchup.options.map((o) => o.id)) });
}

export function startAnnouncer(o: {
  edgeUrl: string;
  room: string;
  lang: Lang;
  sources: readonly ChatSource[];
  minIntervalMs: number;
  log: Logger;
  /** Whether this bridge holds the chat's lease (lease-keeper.ts): only one bridge announces in a chat. Absent: all. */
  mayAnnounce?: (source: ChatSource['id']) => boolean;
}): { stop(): void } {
  const speakers = o.sources.filter((s) => s.say);
  const t = translator(o.lang);
  const lastSaid = new Map<string, number>();
  const url = `${o.edgeUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/parties/arena/${o.room}`;
  let announced: string | null = null;
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const onSnapshot = (snap: Snapshot) => {
    const r = snap.round;
    if (r.phase !== 'live' || r.pollId === announced) return;
    announced = r.pollId;
    if (r.endsAt - snap.now < LATE_MS) return;
    const text = announcement(r, t);
    const now = Date.now();
    for (const s of speakers) {
      if (o.mayAnnounce && !o.mayAnnounce(s.id)) {
        o.log.debug('announce.standby', { source: s.id, pollId: r.pollId });
        continue;
      }
      const last = lastSaid.get(s.id) ?? -Infinity;
      if (now - last < o.minIntervalMs) {
        o.log.info('announce.skipped', { source: s.id, pollId: r.pollId, sinceLastSec: Math.round((now - last) / 1000) });
        continue;
      }
      lastSaid.set(s.id, now);
      s.say!(text).then(
        () => o.log.info('announce.sent', { source: s.id, pollId: r.pollId }),
        (e: unknown) => o.log.warn('announce.failed', { source: s.id, pollId: r.pollId, error: e }),
      );
    }
  };

  const connect = () => {
    const ws = new WebSocket(url);
    // A feed per connection: the room starts each one with a whole snapshot, then sends deltas.
    const feed = new RoomFeed();
    socket = ws;
    ws.addEventListener('open', () => (failures = 0));
    ws.addEventListener('message', (e) => {
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const result = feedRoomMessage(feed, data);
      if (result === 'applied') onSnapshot(feed.state!);
      if (result === 'gap') ws.send(RESYNC_MESSAGE);
    });
    // The room closes a viewer it hears nothing from (README "A viewer that cannot keep up").
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(pingMessage(feed.state?.seq)), VIEWER_PING_MS);
    ws.addEventListener('close', () => {
      clearInterval(ping);
      if (stopped || socket !== ws) return;
      const wait = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures++);
      if (failures === 1) o.log.warn('announce.room-lost', { url, retryMs: wait });
      retry = setTimeout(connect, wait);
    });
  };

  if (speakers.length === 0) {
    o.log.warn('announce.no-chat-can-post', { hint: 'CHAT_ANNOUNCE needs TWITCH_BOT_USERNAME and TWITCH_OAUTH_TOKEN: YouTube chat cannot be posted to with an API key' });
  } else {
    connect();
  }
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    },
  };
}
