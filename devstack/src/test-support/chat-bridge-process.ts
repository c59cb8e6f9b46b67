/**
 * The real chat bridge (`node chat-bridge/src/main.ts`) as a test's child, started exactly as the local stack
 * starts it (stack/chat-bridge-child.ts): tied to a stack's edge and token, reading whichever chats the test names.
 * The test reads its /health, kills it (SIGKILL: a crash, nothing flushed), stops it (SIGTERM: chats left, the
 * buffer sent) and starts it again on the same port. A stack's stop() also stops it (stack/children.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { ChatSourceId, ChatSourceState } from '@stream-fighter/core';
import { startChatBridgeChild } from '../stack/chat-bridge-child.ts';
import { freePort } from '../stack/free-port.ts';
import { until } from './until.ts';

const count = z.number().int().nonnegative();

/** The part of the bridge's /health body (chat-bridge/src/health.ts) the tests read. */
export const BridgeHealth = z.object({
  ok: z.boolean(),
  reasons: z.array(z.string()),
  sources: z.array(
    z.object({
      source: ChatSourceId,
      state: ChatSourceState,
      detail: z.string().optional(),
      paused: z.boolean(),
      buffered: count,
      sent: count,
      dropped: z.object({ chatter: count, invalid: count, paused: count, standby: count, overflow: count, rejected: count }),
      room: z.object({ counted: count, duplicate: count, stale: count, ignored: count, limited: count }),
    }),
  ),
});
export type BridgeHealth = z.infer<typeof BridgeHealth>;
export type BridgeSourceHealth = BridgeHealth['sources'][number];

/** Every line the source passed to the relay, whatever became of it: read, parsed and (for commands) queued or answered. */
export function linesTaken(s: BridgeSourceHealth): number {
  const d = s.dropped;
  return s.sent + s.buffered + d.chatter + d.invalid + d.paused + d.standby + d.overflow + d.rejected;
}

export interface ChatBridgeProcess {
  /** The /health base URL (the port stays the same across restarts). */
  url: string;
  /** The running process, or null while it is down. */
  readonly child: ChildProcess | null;
  health(): Promise<BridgeHealth>;
  /** One source's part of /health; fails when the bridge does not list it. */
  source(id: string): Promise<BridgeSourceHealth>;
  /** Start it (again) and wait until /health answers. */
  start(): Promise<void>;
  /** SIGKILL: what the bridge holds is lost, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, then its exit code (0: everything it held was sent). */
  stop(): Promise<number | null>;
}

/**
 * `env` is the bridge's own settings (TWITCH_CHANNELS, TWITCH_IRC_URL, YOUTUBE_…, LOG_LEVEL); EDGE_URL,
 * BRIDGE_TOKEN and the port come from here. Not started yet: call start().
 */
export async function chatBridgeProcess(o: { edgeUrl: string; bridgeToken: string; env: Record<string, string> }): Promise<ChatBridgeProcess> {
  const httpPort = await freePort();
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | null = null;

  const health = async (): Promise<BridgeHealth> => {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    return BridgeHealth.parse(await res.json());
  };
  /** Its exit code once it has exited; `signal` is what it was sent, for the message when it does not exit. */
  const exited = async (c: ChildProcess, signal: string): Promise<number | null> => {
    // The bridge gives itself 2 s to leave the chats and 5 s to flush (chat-bridge/src/main.ts): 10 s is past both.
    await until(`the chat bridge (pid ${c.pid}) to exit after ${signal}`, () => c.exitCode !== null || c.signalCode !== null, 10_000);
    return c.exitCode;
  };

  return {
    url,
    get child() {
      return child;
    },
    health,
    async source(id) {
      const h = await health();
      const s = h.sources.find((x) => x.source === id);
      if (!s) throw new Error(`the bridge's /health lists no source ${id} (it lists ${h.sources.map((x) => x.source).join(', ') || 'none'})`);
      return s;
    },
    async start() {
      if (child) throw new Error('the chat bridge is already running');
      const started = startChatBridgeChild({ edgeUrl: o.edgeUrl, bridgeToken: o.bridgeToken, httpPort, env: { PATH: process.env.PATH ?? '', ...o.env } });
      const c = started.child;
      child = c;
      c.once('exit', () => {
        if (child === c) child = null;
      });
      await until(
        `the chat bridge's /health at ${url} (it exits with code 2 on a bad setting)`,
        async () => {
          if (c.exitCode !== null || c.signalCode !== null) throw new Error(`the chat bridge exited with ${c.signalCode ?? `code ${c.exitCode}`} before answering /health`);
          return health().then(
            () => true,
            () => false,
          );
        },
        15_000,
        100,
      );
    },
    async kill() {
      const c = child;
      if (!c) return;
      c.kill('SIGKILL');
      await exited(c, 'SIGKILL');
    },
    async stop() {
      const c = child;
      if (!c) return null;
      c.kill('SIGTERM');
      return exited(c, 'SIGTERM');
    },
  };
}
