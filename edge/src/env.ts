/**
 * The Worker's configuration, parsed once per isolate by one schema. A missing or malformed variable fails
 * loudly with its name, instead of surfacing later as a confusing runtime error.
 */
import { z } from 'zod';
import { ROUND_SECONDS } from '@stream-fighter/core/matchup';
import { CYCLE_DEFAULTS } from '@stream-fighter/core/season/cycle';
import { MATCHMAKING_DEFAULTS } from '@stream-fighter/core/season/matchmaking';
import { PHASE_MS } from '@stream-fighter/core/constants';
import { LANGS } from '@stream-fighter/view/languages';
import { PhaseLengths } from '@stream-fighter/core/round-state';
import { AI_DEFAULTS, AI_TIMEOUT_BOUNDS } from './ai/config.ts';

const secret = (name: string) => z.string({ error: `${name} is required` }).min(16, `${name} must be at least 16 characters`);
const optionalString = z.string().trim().min(1).optional().catch(undefined);
const intString = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);

export const EnvSchema = z.object({
  OPERATOR_TOKEN: secret('OPERATOR_TOKEN'),
  VOTER_SECRET: secret('VOTER_SECRET'),
  RENDERER_TOKEN: secret('RENDERER_TOKEN'),
  TURNSTILE_SECRET: optionalString,
  /** With a Turnstile site key, the vote page shows Cloudflare's widget (and its policy allows Cloudflare's script). */
  TURNSTILE_SITE_KEY: optionalString,
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  /** Dev/test only: where the local Neon-HTTP stand-in listens. Unset in production (Neon's own endpoint). */
  NEON_HTTP_ENDPOINT: z.url().optional(),
  UPSTASH_REDIS_REST_URL: z.url({ error: 'UPSTASH_REDIS_REST_URL must be a URL' }),
  UPSTASH_REDIS_REST_TOKEN: z.string({ error: 'UPSTASH_REDIS_REST_TOKEN is required' }).min(1),
  OPENROUTER_API_KEY: optionalString,
  AI_BASE_URL: z.url({ protocol: /^https?$/, error: 'AI_BASE_URL must be an http(s) URL' }).default(AI_DEFAULTS.baseURL),
  AI_MODEL: z.string().trim().min(1).max(200).default(AI_DEFAULTS.model),
  AI_TIMEOUT_MS: intString(AI_TIMEOUT_BOUNDS.min, AI_TIMEOUT_BOUNDS.max, AI_DEFAULTS.timeoutMs),
  ROOM_NAME: z.string().regex(/^[a-z0-9-]{1,32}$/).default('main'),
  SITE_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  /**
   * Origins a browser screen's page may come from besides the site's own and SITE_ORIGINS (routes/screens.ts), comma
   * separated; the render node checks its own list again before it loads a page (render-node BROWSER_URL_ALLOW).
   */
  BROWSER_URL_ALLOW: z
    .string()
    .default('')
    .transform((s, ctx) => {
      const origins: string[] = [];
      for (const o of s.split(',').map((x) => x.trim()).filter(Boolean)) {
        if (!URL.canParse(o) || !/^https?:$/.test(new URL(o).protocol)) {
          ctx.addIssue({ code: 'custom', message: `BROWSER_URL_ALLOW: ${o} is not an http(s) origin` });
          return z.NEVER;
        }
        origins.push(new URL(o).origin);
      }
      return origins;
    }),
  ROUND_SECONDS: intString(ROUND_SECONDS.min, ROUND_SECONDS.max, ROUND_SECONDS.default),
  /** The language the room's matchups are written in (titles, taglines, move names, headlines): built-in and AI. */
  STREAM_LANG: z.enum(LANGS, { error: `STREAM_LANG must be one of ${LANGS.join(', ')}` }).default('en'),
  /**
   * The intro, finish card and results card around each round, in ms: "intro,finish,results". The stream's
   * pacing; the local test stacks shorten it so a test that rotates does not wait 17 s of cards.
   */
  ROUND_PHASES_MS: z
    .string()
    .default(`${PHASE_MS.intro},${PHASE_MS.finish},${PHASE_MS.results}`)
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(
      z
        .tuple([z.number(), z.number(), z.number()], { error: 'ROUND_PHASES_MS must be three numbers: intro,finish,results (ms)' })
        .transform(([intro, finish, results]) => ({ intro, finish, results }))
        .pipe(PhaseLengths),
    ),
  /** Votes allowed per window, per IP and per voter. */
  RATE_LIMIT_IP_PER_10S: intString(1, 100_000, 60),
  RATE_LIMIT_VOTER_PER_10S: intString(1, 1_000, 5),
  /** A voter's calls about their points (POST /api/bet, GET /api/me) per 10 s: each is a call to the one room. */
  POINTS_CALLS_PER_10S: intString(1, 1_000, 10),
  /**
   * How far viewers' players lag the room (README "Stream delay"): the intro, where bets close, is longer by this
   * much, and the stream counts the betting window down this much early.
   */
  STREAM_DELAY_MS: intString(0, 30_000, 0),
  /** The season's cycle (room/season-desk.ts): matchmaking rounds before each tournament, exhibitions after it. The dashboard can change both per room. */
  CYCLE_MATCHMAKING_ROUNDS: intString(1, 1_000, CYCLE_DEFAULTS.matchmakingRounds),
  CYCLE_EXHIBITIONS: intString(1, 1_000, CYCLE_DEFAULTS.exhibitions),
  /** Share of matchmaking rounds, in percent, that debut a new fighter (AI-made with a key, built-in otherwise). */
  DEBUT_PERCENT: intString(0, 100, Math.round(MATCHMAKING_DEFAULTS.debutShare * 100)),
  SHOUTOUT_PER_MIN: intString(1, 100, 2),
  /** Shout-outs go on air without an operator's approval; the dashboard's switch overrides this per room. */
  SHOUTOUT_AUTO_APPROVE: z
    .enum(['true', 'false'], { error: 'SHOUTOUT_AUTO_APPROVE must be true or false' })
    .default('false')
    .transform((s) => s === 'true'),
  /** Words refused in shout-outs, on top of the built-in list: comma-separated, matched at the start of a word. */
  SHOUTOUT_BLOCKLIST: z
    .string()
    .max(10_000)
    .default('')
    .transform((s) => s.split(',').map((w) => w.trim()).filter((w) => w.length > 0 && w.length <= 64)),
  /**
   * Failed archive attempts of one finished round (one every 15 s while it fails) before it is parked: 240 is an
   * hour of a Postgres outage. A permanent error (data Postgres refuses) parks it at once.
   */
  ARCHIVE_MAX_ATTEMPTS: intString(1, 100_000, 240),
  /**
   * The operator's alerts (alerts/): a Discord or Slack incoming-webhook URL. A secret (it carries the webhook's
   * token), never logged; unset or empty turns the alerts off.
   */
  ALERT_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'ALERT_WEBHOOK_URL must be an http(s) URL' }).optional()),
  /** A desired stream not live (or not reported) for this long is down. */
  ALERT_STREAM_DOWN_SEC: intString(10, 86_400, 60),
  /** Finished rounds failing to archive this long (from the first failed attempt a check sees): the archive is stalled. */
  ALERT_ARCHIVE_STALL_SEC: intString(30, 86_400, 300),
  /** Votes that fail inside the room within 5 minutes (and at least as many as go through) before votes are failing. */
  ALERT_VOTE_FAILURES: intString(1, 100_000, 5),
  /** At most one message per condition per this many minutes; at most ALERT_MAX_PER_HOUR messages per hour in all. */
  ALERT_REPEAT_MIN: intString(1, 1_440, 5),
  ALERT_MAX_PER_HOUR: intString(1, 1_000, 20),
  /**
   * The room's WebSocket limits (edge/src/room/limits.ts). A viewer sends a ping of a few dozen bytes; a renderer's
   * stream-status report is up to 32 streams of ~200 bytes.
   */
  WS_MAX_MESSAGE_BYTES: intString(256, 1_048_576, 4_096),
  WS_RENDERER_MAX_MESSAGE_BYTES: intString(1_024, 1_048_576, 65_536),
  /** Per connection: a token bucket refilled at this rate, holding at most the burst. */
  WS_MESSAGES_PER_SEC: intString(1, 1_000, 5),
  WS_MESSAGE_BURST: intString(1, 10_000, 20),
  /** Messages dropped over the rate within 10 s that close the connection (4008): a flood, not a hiccup. */
  WS_FLOOD_CLOSE_AFTER: intString(1, 100_000, 100),
  /**
   * Render leases (room/render-leases.ts): how long a stream stays with a render node after its last status
   * report while another node stands by (a dead node's streams move after this plus 1 s), and the lease of a
   * node alone (an edge outage shorter than this never stops a one-box setup's picture).
   */
  RENDER_LEASE_MS: intString(500, 60_000, 2_500),
  RENDER_SOLO_LEASE_MS: intString(500, 86_400_000, 300_000),
  /**
   * Chat leases (room/chat-leases.ts): how long a chat source stays with its bridge after that bridge's last status
   * report (every 5 s); a gone bridge's chats move after this plus 1 s.
   */
  CHAT_LEASE_MS: intString(10_000, 300_000, 15_000),
  /**
   * Relays (room/relay.ts, relay-desk.ts): once the Arena holds this many viewers, new ones connect to one of
   * RELAY_COUNT relay objects, chosen by a hash of their address, each fed once per update.
   */
  RELAY_AFTER_VIEWERS: intString(1, 1_000_000, 5_000),
  RELAY_COUNT: intString(1, 64, 8),
  /**
   * Counting shards (room/vote-shard.ts): 0 sends every vote to the room itself; N spreads viewers' votes over N
   * shards by a hash of the voter id, each flushing its share to the room at most every VOTE_FLUSH_MS.
   */
  VOTE_SHARDS: intString(0, 64, 0),
  VOTE_FLUSH_MS: intString(0, 1_000, 50),
  /** A viewer heard nothing from (no ping) for this long is closed with 4011 (room/viewer-liveness.ts). */
  WS_VIEWER_SILENT_SEC: intString(1, 3_600, 60),
  /** Open viewer connections per address (IPv4, or IPv6 /64); renderers and operators are not counted. */
  WS_CONNECTIONS_PER_ADDRESS: intString(1, 100_000, 32),
  /** Warn lines (and error replies) per connection per minute; the rest are counted and reported once. */
  WS_LOG_LINES_PER_MIN: intString(1, 1_000, 5),
  /**
   * Proof of work for a new voter session (ALTCHA, PBKDF2/SHA-256): the iterations per attempt and the largest
   * counter a challenge hides (drawn from its upper half): the expected work is cost × max counter × 3/4; see
   * README for how it was tuned.
   */
  ALTCHA_COST: intString(1, 100_000, 1_000),
  ALTCHA_MAX_COUNTER: intString(10, 10_000_000, 2_500),
  /** How long a challenge may take to be solved and used. */
  ALTCHA_EXPIRES_SEC: intString(30, 3_600, 600),
  /** New voter sessions per address (IPv4, or IPv6 /64) per hour. */
  SESSIONS_PER_ADDRESS_PER_HOUR: intString(1, 100_000, 20),
  /** Votes per address (IPv4, or IPv6 /64) per round, and the stricter cap for sessions minted without proof of work. */
  VOTES_PER_ADDRESS_PER_ROUND: intString(1, 10_000_000, 12),
  VOTES_PER_ADDRESS_PER_ROUND_NOJS: intString(0, 100_000, 3),
  /** Server-side vote bridges (chat) authenticate with this; unset (or empty, as in .dev.vars.example) → no bridge. */
  BRIDGE_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), secret('BRIDGE_TOKEN').optional()),
  /** Public reads (`/api/polls`, `/api/leaderboard`) are answered from the edge cache for this long; 0 turns it off. */
  PUBLIC_CACHE_SECONDS: intString(0, 300, 5),
  /** The public `/api/health` repeats its last check for this long (per isolate); `?deep=1` (operator) always checks. */
  HEALTH_CACHE_SECONDS: intString(0, 300, 5),
  /** Days a shout-out keeps its sender's keyed address hash (for moderation); then the room's alarm clears it. */
  ADDRESS_HASH_DAYS: intString(1, 365, 7),
});
export type AppConfig = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, AppConfig>();

/** Parse the Worker env (cached per env object: bindings do not change within an isolate). */
export function readConfig(env: object): AppConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid Worker configuration:\n  ${lines.join('\n  ')}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
