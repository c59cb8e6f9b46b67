/**
 * A real render node for a test: `node render-node/src/main.ts` in a process group of its own (so its FFmpeg goes
 * with it), no static streams (only what the room leases it), its JSON log lines kept with the time each arrived
 * here, and its /health read on demand. `kill()` is a box dying: SIGKILL to the whole group, no clean stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../stack/repo-root.ts';

const MAIN = join(REPO_ROOT, 'render-node/src/main.ts');

export interface RenderLogLine {
  /** Date.now() when the line arrived here. */
  at: number;
  event: string;
  fields: Record<string, unknown>;
}

export interface RenderNodeHealth {
  ok: boolean;
  room: { connected: boolean };
  streams: Array<{ streamKey: string; state: string }>;
}

export interface RenderNodeProcess {
  name: string;
  /** Its HTTP surface (`/health`, `/metrics`). */
  url: string;
  child: ChildProcess;
  log: RenderLogLine[];
  /** The first log line at or after `from` (Date.now()) with this event, if any yet. */
  event(event: string, from?: number): RenderLogLine | undefined;
  health(): Promise<RenderNodeHealth>;
  running(): boolean;
  /** SIGKILL to the process group: the node and its FFmpeg die at once. */
  kill(): void;
  /** SIGTERM (its clean stop), SIGKILL after `graceMs`. Safe to call on a dead node. */
  stop(graceMs?: number): Promise<void>;
}

export function startRenderNode(o: {
  name: string;
  edgeUrl: string;
  rendererToken: string;
  room: string;
  rtmpUrl: string;
  httpPort: number;
  ffmpegPath: string;
  /** Render-node settings over the defaults here (RESOLUTION, FPS, …). */
  env?: Record<string, string>;
}): RenderNodeProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    EDGE_URL: o.edgeUrl,
    ROOM: o.room,
    RENDERER_TOKEN: o.rendererToken,
    RTMP_URL: o.rtmpUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(o.httpPort),
    FFMPEG_PATH: o.ffmpegPath,
    RENDER_NODE_NAME: o.name,
    LOG_LEVEL: 'info',
    ...o.env,
  };
  // detached: the node leads its own process group, which its FFmpeg children join.
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log: RenderLogLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const at = Date.now();
    try {
      const { event, ...fields } = JSON.parse(line) as { event: string };
      log.push({ at, event, fields });
    } catch {
      log.push({ at, event: 'stdout', fields: { line } });
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => log.push({ at: Date.now(), event: 'stderr', fields: { line } }));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // the group is gone already
    }
  };
  const url = `http://127.0.0.1:${o.httpPort}`;

  return {
    name: o.name,
    url,
    child,
    log,
    event: (event, from = 0) => log.find((l) => l.event === event && l.at >= from),
    async health() {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) });
      return (await res.json()) as RenderNodeHealth;
    },
    running,
    kill: () => signal('SIGKILL'),
    async stop(graceMs = 8_000) {
      // The group, not just the node: an FFmpeg orphaned by an earlier kill() is in it too.
      signal('SIGTERM');
      if (!running()) return;
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (late) signal('SIGKILL');
      await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 2_000).unref())]);
    },
  };
}
