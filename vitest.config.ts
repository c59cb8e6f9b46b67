import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { StallWatchdog } from '@stream-fighter/devstack/test-support/stall-watchdog';

/** The Worker and its room inside workerd (the Cloudflare vitest plugin), with these bindings over the defaults. */
function workers(name: string, include: string[], bindings: Record<string, string> = {}, exclude: string[] = []) {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            OPERATOR_TOKEN: 'test-operator-token-0123456789',
            VOTER_SECRET: 'test-voter-secret-0123456789abcdef',
            RENDERER_TOKEN: 'test-renderer-token-0123456789',
            DATABASE_URL: 'postgres://postgres@127.0.0.1/streamfighter',
            NEON_HTTP_ENDPOINT: inject<string>('neonEndpoint'),
            UPSTASH_REDIS_REST_URL: inject<string>('upstashUrl'),
            UPSTASH_REDIS_REST_TOKEN: inject<string>('upstashToken'),
            ROUND_SECONDS: '60',
            RATE_LIMIT_IP_PER_10S: '100000',
            RATE_LIMIT_VOTER_PER_10S: '5',
            SITE_ORIGINS: 'https://vote.example',
            // A cheap proof of work, so tests that mint sessions the way a client does stay fast.
            ALTCHA_COST: '10',
            ALTCHA_MAX_COUNTER: '40',
            BRIDGE_TOKEN: 'test-bridge-token-0123456789',
            ALERT_WEBHOOK_URL: inject<string>('alertWebhookUrl'),
            // No tournament by itself in a test file that plays many rounds (season.test.ts sets the lengths it tests).
            CYCLE_MATCHMAKING_ROUNDS: '1000',
            ...bindings,
          },
        },
      })),
    ],
    test: {
      name,
      include,
      exclude,
      globalSetup: ['devstack/src/test-support/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // The Worker's log lines go straight to workerd's output, not through vitest's console relay: a line logged
      // from the room's own I/O context (an alarm, a socket) is parked by the plugin until the runner's next
      // message, and when it lands during a file's last one vitest waits on it for good (cloudflare/workers-sdk
      // #15498, #15719; seen here as "the pool did not start the next one"). Spies on console still see them.
      disableConsoleIntercept: true,
    },
  };
}

/**
 * Three kinds of tests: the pure core (Node), the Node-side pieces that talk to real servers (stand-ins,
 * database, AI client; `*.node.test.ts` and devstack), and the Worker and its room inside workerd.
 */
export default defineConfig({
  test: {
    // Logs of passing tests are noise in CI; a failing test still shows everything it printed.
    silent: 'passed-only',
    // A run that reports nothing for 5 minutes (no test, hook or file event) is cancelled with a list of what was
    // still running, instead of hanging CI: every test has its own timeout, a stuck pool has none.
    reporters: ['default', new StallWatchdog(Number(process.env.VITEST_STALL_MS ?? 300_000))],
    projects: [
      {
        test: { name: 'core', include: ['core/src/**/*.test.ts', 'view/src/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'node',
          include: ['devstack/src/**/*.test.ts', 'edge/src/**/*.node.test.ts', 'drizzle/**/*.test.ts', 'web/src/**/*.test.ts', 'scripts/**/*.test.ts', 'chat-bridge/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'render',
          include: ['render-node/src/**/*.test.ts', 'render-node/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Whole-stack tests: the local stack (the deployed bundle in workerd), real clients (partysocket, Chromium) from Node.
        test: {
          name: 'e2e',
          include: ['edge/e2e/**/*.e2e.test.ts', 'web/test/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // One Worker bundle for every stack of the run (devstack/src/test-support/e2e-global-setup.ts).
          globalSetup: ['devstack/src/test-support/e2e-global-setup.ts'],
        },
      },
      workers('workers', ['edge/test/**/*.test.ts'], {}, ['edge/test/vote-shards.test.ts']),
      // The vote path again with counting shards on (edge/src/room/vote-shard.ts): exactly once, KO mid-burst, the caps.
      workers('workers-sharded', ['edge/test/vote.test.ts', 'edge/test/admission.test.ts', 'edge/test/vote-shards.test.ts'], { VOTE_SHARDS: '4', VOTE_FLUSH_MS: '20' }),
    ],
  },
});
