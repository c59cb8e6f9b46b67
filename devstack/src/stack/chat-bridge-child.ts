/**
 * The chat bridge as a child of the stack (`node chat-bridge/src/main.ts`, logs prefixed `[chat]`), started when
 * it has something to read: a chat configured in the environment (TWITCH_CHANNELS, YOUTUBE_API_KEY), or the local
 * Twitch and YouTube servers of `--demo` (demo-chat.ts). The bridge's own settings in the environment pass
 * through; what ties it to this stack (the edge, its token, its port) is set here. Started by path, not imported:
 * the bridge's tests use devstack's fakes, so devstack must not depend on the bridge.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startChild } from './children.ts';
import { REPO_ROOT } from './repo-root.ts';

const MAIN = join(REPO_ROOT, 'chat-bridge/src/main.ts');

/** Whether the environment names a chat for the bridge to read. */
export function chatConfigured(env: NodeJS.ProcessEnv): boolean {
  return !!(env.TWITCH_CHANNELS?.trim() || env.YOUTUBE_API_KEY?.trim());
}

export function startChatBridgeChild(o: { edgeUrl: string; bridgeToken: string; httpPort: number; env: NodeJS.ProcessEnv }): { child: ChildProcess; url: string } {
  const env: NodeJS.ProcessEnv = {
    ...o.env,
    EDGE_URL: o.edgeUrl,
    BRIDGE_TOKEN: o.bridgeToken,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(o.httpPort),
  };
  return { child: startChild('chat', process.execPath, [MAIN], env), url: `http://127.0.0.1:${o.httpPort}` };
}
