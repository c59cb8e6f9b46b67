/**
 * Real RTMP receivers and probes for the stream tests: FFmpeg listening as a server (one publish, written to a
 * file) and node-media-server in-process (any number of publishes, for restart tests).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { execa } from 'execa';
import { until } from '@stream-fighter/devstack/test-support/until';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** True once something is in LISTEN on the port (read from /proc, so no probe connection is spent). */
export function isListening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hex) && cols[3] === '0A') return true;
    }
  }
  return false;
}

/**
 * `ffmpeg -listen 1`: accepts one publish and copies it into `file`; `done` resolves when that publish ends.
 * (Wrapped in an object: an async function returning the subprocess itself would wait for it, as it is thenable.)
 */
export async function listenOnce(port: number, path: string, file: string) {
  const proc = execa('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-listen', '1', '-i', `rtmp://127.0.0.1:${port}${path}`, '-c', 'copy', '-y', file], {
    reject: false,
    timeout: 60_000,
  });
  await until('the receiver to listen', () => isListening(port), 5000, 20);
  return { done: proc, pid: proc.pid };
}

/**
 * A TCP relay to `127.0.0.1:targetPort` that holds each connection for `delayMs` before it reaches the target:
 * an ingest server that far away, as YouTube's or Twitch's are, so FFmpeg's RTMP handshake takes that long.
 */
export async function slowRelay(targetPort: number, delayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.pause();
    client.on('error', () => {});
    setTimeout(() => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface PublishRecord {
  id: string;
  at: number;
  session: { inBytes: number; streamPath: string };
}

/** node-media-server with only RTMP on; `publishes` grows on every publish. Restartable on the same port. */
export function createNms(port: number, dataDir: string) {
  const require = createRequire(import.meta.url);
  const NodeMediaServer = require('node-media-server') as new (config: unknown) => { run(): Promise<void>; stop(): Promise<void>; on(e: string, f: (s: never) => void): void };
  const logger = require('node-media-server/src/core/logger.js') as { level: string };
  const publishes: PublishRecord[] = [];
  let server: InstanceType<typeof NodeMediaServer> | null = null;
  let subscribed = false;
  return {
    publishes,
    async start() {
      server = new NodeMediaServer({ bind: '127.0.0.1', rtmp: { port }, store: { path: dataDir }, auth: {}, record: {} });
      logger.level = 'error';
      // Its event emitter is process-wide and outlives instances: subscribe once.
      if (!subscribed) {
        subscribed = true;
        server.on('postPublish', (session: PublishRecord['session'] & { id: string }) => publishes.push({ id: session.id, at: performance.now(), session }));
      }
      await server.run();
      await until('node-media-server to listen', () => isListening(port), 5000, 20);
    },
    async stop() {
      await server?.stop();
      server = null;
      await until('node-media-server to close', () => !isListening(port), 5000, 20);
    },
  };
}

export async function ffprobeJson(file: string, args: string[]): Promise<any> {
  const { stdout } = await execa('ffprobe', ['-v', 'error', '-of', 'json', ...args, file], { timeout: 30_000 });
  return JSON.parse(stdout);
}

/** One decoded frame at `sec` as RGB24, converted the way a player would (from the stream's own colour tags). */
export async function frameAt(file: string, sec: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await execa('ffmpeg', ['-v', 'error', '-ss', String(sec), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    encoding: 'buffer',
    timeout: 30_000,
  });
  const bytes = Buffer.from(stdout);
  if (bytes.length !== width * height * 3) throw new Error(`decoded ${bytes.length} bytes, expected ${width * height * 3}`);
  return bytes;
}

/** Pids of the live (non-zombie) children of `ppid`. */
export function childPids(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.ppid === ppid && stat.state !== 'Z') out.push(Number(name));
  }
  return out;
}

/** State and parent of a pid, or null when it is gone. */
export function procStat(pid: number): { state: string; ppid: number; utime: number; stime: number; rssPages: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]), rssPages: Number(rest[21]) };
  } catch {
    return null;
  }
}

/** Running means present and not a zombie. */
export const isRunning = (pid: number) => {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z';
};
