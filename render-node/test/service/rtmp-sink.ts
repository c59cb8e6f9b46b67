/**
 * A real RTMP server for tests: node-media-server listening on a free loopback port, recording which stream
 * paths are being published right now. Its own store goes to a throwaway folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './edge-stack.ts';

interface NmsSession {
  streamPath: string;
}
interface Nms {
  on(event: string, fn: (s: NmsSession) => void): void;
  run(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRtmpSink(): Promise<{ url: string; publishing: Set<string>; published: string[]; stop(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const NodeMediaServer = require('node-media-server') as new (config: object) => Nms;
  const logger = require('node-media-server/src/core/logger.js') as { level: string };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sf-rtmp-'));
  const nms = new NodeMediaServer({ bind: '127.0.0.1', rtmp: { port }, store: { path: dir } });
  // The constructor turns on debug logging of every session: keep test output readable.
  logger.level = 'error';
  const publishing = new Set<string>();
  const published: string[] = [];
  nms.on('postPublish', (s) => {
    publishing.add(s.streamPath);
    published.push(s.streamPath);
  });
  nms.on('donePublish', (s) => publishing.delete(s.streamPath));
  await nms.run();
  return {
    url: `rtmp://127.0.0.1:${port}/live`,
    publishing,
    published,
    async stop() {
      await nms.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
