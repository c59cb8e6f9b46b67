/**
 * The local RTMP receiver: node-media-server v4 in this process, taking the render node's RTMP publish and
 * serving every stream as HTTP-FLV (`http://HOST:PREVIEW_PORT/<app>/<key>.flv`, CORS open) for the dashboard's
 * player, ffplay or VLC. Only for `npm start` when no RTMP_URL is configured.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';

interface Nms {
  run(): Promise<void>;
  stop(): Promise<void>;
}
type NmsLogger = { log(message: string, level?: string): void };

export interface RtmpReceiver {
  /** The RTMP app the render node publishes to (the key goes after it). */
  rtmpUrl: string;
  playUrl(key: string): string;
  flvUrl(key: string): string;
  close(): Promise<void>;
}

const APP = 'live';
const HOST = '127.0.0.1';

export async function startRtmpReceiver(o: {
  rtmpPort: number;
  previewPort: number;
  dataDir: string;
  /** Receiver log lines, unprefixed; `debug` ones only matter with LOG_LEVEL=debug. */
  log: (line: string, level: string) => void;
}): Promise<RtmpReceiver> {
  // node-media-server exits the whole process when a port is taken: find out first, and fail politely.
  await assertFree(o.rtmpPort, 'RTMP_PORT');
  await assertFree(o.previewPort, 'PREVIEW_PORT');
  const require = createRequire(import.meta.url);
  const NodeMediaServer = require('node-media-server') as new (config: object) => Nms;
  const logger = require('node-media-server/src/core/logger.js') as NmsLogger;
  // Its logger is a process-wide console.log: route it through the stack's prefixed output instead.
  logger.log = (message, level = 'info') => o.log(message, level === 'trace' ? 'debug' : level);
  mkdirSync(o.dataDir, { recursive: true });
  const nms = new NodeMediaServer({
    bind: HOST,
    rtmp: { port: o.rtmpPort },
    http: { port: o.previewPort },
    store: { path: o.dataDir },
    webadmin: { enable: false },
  });
  await nms.run();
  await Promise.all([waitListening(o.rtmpPort), waitListening(o.previewPort)]);
  return {
    rtmpUrl: `rtmp://${HOST}:${o.rtmpPort}/${APP}`,
    playUrl: (key) => `rtmp://${HOST}:${o.rtmpPort}/${APP}/${key}`,
    flvUrl: (key) => `http://${HOST}:${o.previewPort}/${APP}/${key}.flv`,
    close: () => nms.stop(),
  };
}

function assertFree(port: number, name: string): Promise<void> {
  return new Promise((ok, fail) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      fail(new Error(`port ${port} (${name}) is ${e.code === 'EADDRINUSE' ? 'already in use' : `unusable: ${e.message}`}; set ${name} to another port`)),
    );
    probe.listen(port, HOST, () => probe.close(() => ok()));
  });
}

async function waitListening(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await new Promise<boolean>((r) => {
      const s = net.connect(port, HOST, () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`the RTMP receiver did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
