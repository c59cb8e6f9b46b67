/**
 * A real RTMP server for tests: node-media-server listening on a free loopback port, recording each publish
 * as it starts (it does not report the end of one reliably). Its own store goes to a throwaway folder.
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

/** On `port` when given (a receiver that comes up where a stream already points), else on a free one. */
export async function startRtmpSink(port?: number): Promise<{ url: string; published: string[]; stop(): Promise<void> }> {
  const require = createRequire(import.meta.url);
  const NodeMediaServer = require('node-media-server') as new (config: object) => Nms;
  const logger = require('node-media-server/src/core/logger.js') as { level: string };
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sf-rtmp-'));
  const nms = new NodeMediaServer({ bind: '127.0.0.1', rtmp: { port }, store: { path: dir } });
  // The constructor turns on debug logging of every session: keep test output readable.
  logger.level = 'error';
  const published: string[] = [];
  nms.on('postPublish', (s) => {
    published.push(s.streamPath);
  });
  await nms.run();
  return {
    url: `rtmp://127.0.0.1:${port}/live`,
    published,
    async stop() {
      await nms.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
