/**
 * The chat bridge: reads the configured Twitch channels and YouTube live chat, relays the lines that are votes to
 * the edge in batches (relay.ts), reports each chat's state every few seconds (status-reporter.ts) and answers
 * /health (health.ts). It relays and announces only in the chats whose lease the room gave it (lease-keeper.ts):
 * several bridges may read one channel, one relays it and the others stand by. Configuration comes from the environment, checked once here (exit 2 when it is wrong).
 * SIGTERM/SIGINT: the chats are left first, so no new line arrives, then what is buffered is sent within
 * SHUTDOWN_FLUSH_MS, then the process exits 0 (1 when votes were left behind).
 */
import { startAnnouncer } from './announce.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { health, startHealthServer } from './health.ts';
import { createLeaseKeeper } from './lease-keeper.ts';
import { createLogger } from './log.ts';
import { createRelay } from './relay.ts';
import { startStatusReporter } from './status-reporter.ts';
import type { ChatSource } from './source.ts';
import { createTwitchSources } from './twitch/twitch-source.ts';
import { YouTubeSource } from './youtube/youtube-source.ts';

/** How long shutdown waits for the edge to take what is buffered: within Docker's 10-s stop grace period. */
const SHUTDOWN_FLUSH_MS = 5_000;
const SOURCE_STOP_MS = 2_000;
/** A line with each chat's counts this often, when they changed: the log's view of what /health shows. */
const COUNTS_LOG_MS = 60_000;

let config: Config;
try {
  config = readConfig();
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
  process.exit(2);
}

const log = createLogger({ level: config.LOG_LEVEL, secrets: config.secrets });
process.on('unhandledRejection', (e) => log.error('process.unhandled-rejection', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));

const sources: ChatSource[] = [...(config.twitch ? createTwitchSources(config.twitch, log) : []), ...(config.youtube ? [new YouTubeSource(config.youtube, { log })] : [])];
const bridge = config.BRIDGE_NAME;
const leases = createLeaseKeeper();
const relay = createRelay({ edgeUrl: config.EDGE_URL, token: config.BRIDGE_TOKEN, bufferMax: config.CHAT_BUFFER_MAX, log, bridge, leases });
const reporter = startStatusReporter({ edgeUrl: config.EDGE_URL, token: config.BRIDGE_TOKEN, sources, relay, log, bridge, leases });
const startedAt = Date.now();

let server: Awaited<ReturnType<typeof startHealthServer>>;
try {
  server = await startHealthServer({ host: config.HTTP_HOST, port: config.HTTP_PORT, log, health: () => health({ sources, relay, reporter, startedAt, bridge, leases }) });
} catch (e) {
  // Typically the HTTP port is taken.
  log.error('start.failed', { error: e });
  process.exit(1);
}

for (const s of sources) s.start((line) => relay.push(s.id, line));
const announcer = config.CHAT_ANNOUNCE
  ? startAnnouncer({ edgeUrl: config.EDGE_URL, room: config.ROOM, lang: config.STREAM_LANG, sources, minIntervalMs: config.CHAT_ANNOUNCE_MIN_SEC * 1000, log, mayAnnounce: (s) => leases.standing(s) === 'held' })
  : null;
log.info('start.ready', {
  http: server.url,
  edge: config.EDGE_URL,
  bridge,
  sources: sources.map((s) => s.id),
  bufferMax: config.CHAT_BUFFER_MAX,
  announce: config.CHAT_ANNOUNCE,
  twitch: config.twitch ? { ircUrl: config.twitch.ircUrl, login: config.twitch.bot ? config.twitch.bot.username : 'anonymous' } : null,
  youtube: config.youtube ? { apiUrl: config.youtube.apiUrl, ...(config.youtube.liveChatId ? { liveChatId: config.youtube.liveChatId } : { channelId: config.youtube.channelId }) } : null,
});

let lastCounts = '';
const countsTimer = setInterval(() => {
  const counts = Object.fromEntries(relay.counts());
  const text = JSON.stringify(counts);
  if (text !== lastCounts) log.info('relay.counts', { sources: counts });
  lastCounts = text;
}, COUNTS_LOG_MS);

let exiting = false;
const shutdown = async (signal: string) => {
  if (exiting) return;
  exiting = true;
  log.info('shutdown.begin', { signal });
  reporter.stop();
  announcer?.stop();
  clearInterval(countsTimer);
  await Promise.all(sources.map((s) => Promise.race([s.stop(), new Promise((r) => setTimeout(r, SOURCE_STOP_MS))]))).catch((e: unknown) => log.warn('shutdown.source-stop-failed', { error: e }));
  const left = await relay.drain(SHUTDOWN_FLUSH_MS);
  relay.stop();
  await server.close();
  const counts = Object.fromEntries([...relay.counts()].map(([s, c]) => [s, { sent: c.sent, counted: c.room.counted, dropped: c.dropped }]));
  if (left > 0) log.error('shutdown.votes-left', { left, waitedMs: SHUTDOWN_FLUSH_MS, lastError: relay.edge().lastError });
  log.info('shutdown.done', { signal, counts });
  process.exit(left > 0 ? 1 : 0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
