/**
 * The chat side of `npm run bench:latency`: devstack's local Twitch chat server and the real chat bridge process
 * (chat-bridge/src/main.ts, started as `npm start` starts it: anonymous read-only login, TWITCH_IRC_URL at the local
 * server), sending to the bench's edge. A chat vote's clock starts when the local server writes the PRIVMSG to the
 * bridge's socket: on loopback that is when the line arrives at the bridge, less the kernel's copy.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { startFakeTwitchChat, type FakeTwitchChat } from '@stream-fighter/devstack/fakes/twitch-chat';
import { startChatBridgeChild } from '@stream-fighter/devstack/stack/chat-bridge-child';
import { freePort } from '@stream-fighter/devstack/stack/free-port';
import { request, sleep } from './verify/http.ts';

export const BENCH_CHANNEL = 'benchlatency';
export const BENCH_SOURCE = `twitch:${BENCH_CHANNEL}`;

/** The part of the bridge's GET /health the bench reads (chat-bridge/src/health.ts). */
const SourceCounts = z.object({
  source: z.string(),
  state: z.string(),
  buffered: z.number(),
  sent: z.number(),
  requests: z.number(),
  dropped: z.object({ chatter: z.number(), invalid: z.number(), paused: z.number(), overflow: z.number(), rejected: z.number() }),
  room: z.object({ counted: z.number(), duplicate: z.number(), stale: z.number(), ignored: z.number(), limited: z.number() }),
});
export type SourceCounts = z.infer<typeof SourceCounts>;
const BridgeHealth = z.object({ ok: z.boolean(), reasons: z.array(z.string()), sources: z.array(SourceCounts) });

export interface BenchChat {
  /** Types `text` in the bench channel as account `userId`; returns when the line went to the bridge (performance.now()). */
  say(userId: string, displayName: string, text: string): number;
  /** The bridge's counts for the bench channel, from its /health. */
  counts(): Promise<SourceCounts>;
  stop(): Promise<void>;
}

export async function startBenchChat(o: { api: string; bridgeToken: string; timeoutMs: number }): Promise<BenchChat> {
  const twitch: FakeTwitchChat = await startFakeTwitchChat();
  const bridge = startChatBridgeChild({
    edgeUrl: o.api,
    bridgeToken: o.bridgeToken,
    httpPort: await freePort(),
    env: {
      ...process.env,
      TWITCH_CHANNELS: BENCH_CHANNEL,
      TWITCH_IRC_URL: twitch.url,
      // Blank is unset for the bridge: whatever chat the developer configured stays out of the bench.
      TWITCH_BOT_USERNAME: '',
      TWITCH_OAUTH_TOKEN: '',
      YOUTUBE_API_KEY: '',
      YOUTUBE_LIVE_CHAT_ID: '',
      YOUTUBE_CHANNEL_ID: '',
      CHAT_ANNOUNCE: 'false',
      LOG_LEVEL: 'warn',
    },
  });
  const health = async () => {
    const r = await request(`${bridge.url}/health`, { timeoutMs: 5_000 });
    const parsed = BridgeHealth.safeParse(r.body);
    if (!parsed.success) throw new Error(`chat bridge GET /health: ${r.status}, not its health: ${r.text.slice(0, 200)}`);
    return parsed.data;
  };
  const counts = async () => {
    const s = (await health()).sources.find((x) => x.source === BENCH_SOURCE);
    if (!s) throw new Error(`the chat bridge's /health has no ${BENCH_SOURCE}`);
    return s;
  };
  const stop = async () => {
    // The bridge child is the stack's: stopping the stack stops it. This is the local Twitch server.
    await twitch.close();
  };

  const deadline = performance.now() + o.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (bridge.child.exitCode !== null) {
      await stop();
      throw new Error(`the chat bridge exited with code ${bridge.child.exitCode} before it was ready`);
    }
    try {
      const h = await health();
      last = h.ok ? 'healthy' : h.reasons.join('; ');
      if (h.ok && twitch.joined(BENCH_CHANNEL)) break;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the chat bridge was not connected to #${BENCH_CHANNEL} within ${o.timeoutMs / 1000} s (last: ${last})`);
    }
    await sleep(100);
  }

  return {
    say(userId, displayName, text) {
      const { delivered } = twitch.say(BENCH_CHANNEL, { userId, displayName, text });
      const at = performance.now();
      if (delivered !== 1) throw new Error(`the local Twitch server delivered a line to ${delivered} clients, not to the one bridge`);
      return at;
    },
    counts,
    stop,
  };
}
