/**
 * Chat for `npm start -- --demo`, with no accounts: the local Twitch chat server and the local YouTube Data API
 * server (devstack/src/fakes), each with simulated chatters typing votes for the live round and some chatter, and
 * the settings that point the chat bridge at them. The Twitch chatters vote for the round the room is showing
 * (they watch it as a viewer page does); the YouTube ones type commands at random, as a slower chat does.
 */
import { startFakeChatters as startTwitchChatters, startFakeTwitchChat, type ChatRound } from '../fakes/twitch-chat.ts';
import { startFakeChatters as startYouTubeChatters, startFakeYouTube } from '../fakes/youtube-api.ts';
import { watchRoom } from './room-watch.ts';

type Log = (event: string, fields?: Record<string, unknown>) => void;

export const DEMO_TWITCH_CHANNEL = 'streamfighter';

export interface DemoChat {
  /** The bridge's settings for the local servers, over whatever the environment has (a real bot login included). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDemoChat(o: { api: string; room: string; log: Log }): Promise<DemoChat> {
  const twitch = await startFakeTwitchChat();
  const youtube = await startFakeYouTube();
  let round: ChatRound = null;
  const room = watchRoom(o.api, o.room, (snap) => {
    round = snap.round.phase === 'live' ? { options: snap.round.matchup.options.map((x) => ({ id: x.id, name: x.fighter.name })) } : null;
  });
  const twitchChatters = startTwitchChatters({ chat: twitch, channel: DEMO_TWITCH_CHANNEL, accounts: 60, linesPerSecond: 3, round: () => round });
  const stopYouTubeChatters = startYouTubeChatters(youtube, { perSecond: 1 });
  o.log('demo.chat', { twitch: `${twitch.url} #${DEMO_TWITCH_CHANNEL}`, youtube: youtube.url, liveChatId: youtube.liveChatId });
  return {
    env: {
      TWITCH_CHANNELS: DEMO_TWITCH_CHANNEL,
      TWITCH_IRC_URL: twitch.url,
      // Anonymous, read-only: a real bot login must not be sent to a local server.
      TWITCH_BOT_USERNAME: '',
      TWITCH_OAUTH_TOKEN: '',
      YOUTUBE_API_KEY: youtube.apiKey,
      YOUTUBE_LIVE_CHAT_ID: youtube.liveChatId,
      YOUTUBE_CHANNEL_ID: '',
      YOUTUBE_API_URL: youtube.url,
    },
    async stop() {
      twitchChatters.stop();
      stopYouTubeChatters();
      room.stop();
      await Promise.all([twitch.close(), youtube.close()]);
    },
  };
}
