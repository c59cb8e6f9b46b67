/**
 * For `bench:render --renderer=browser`: the site's /scene page as a render node streams it, without the Worker.
 * The built site (web/dist, `npm run build:web`) is served as files, and the room is a WebSocket at the path
 * partysocket connects to (/parties/arena/<room>) that sends each snapshot the bench's crowd makes, whole, as the
 * room's first message on a connection is. The page then draws the same fight the canvas bench draws, with the
 * render node's own scene code, so the two paths' costs compare like for like.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Snapshot } from '@stream-fighter/core';

/** web/dist, found upwards from here: this file runs from render-node/bench and, bundled, from render-node/dist/bench. */
export const WEB_DIST = (() => {
  for (let dir = import.meta.dirname, i = 0; i < 5; i++, dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'web', 'package.json'))) return join(dir, 'web', 'dist');
  }
  return resolve(import.meta.dirname, '../../web/dist');
})();

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface SceneServer {
  /** `http://127.0.0.1:<port>/scene`: the page, at the stream's default rate. */
  url: string;
  /** Sends `s` to every page connected. */
  send(s: Snapshot): void;
  /** Pages connected now. */
  readonly pages: number;
  close(): Promise<void>;
}

/** The file a request names under web/dist, as the Worker's static assets answer (`/scene` is scene/index.html). */
function fileFor(path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const rel = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  for (const candidate of [join(WEB_DIST, rel), join(WEB_DIST, rel, 'index.html'), join(WEB_DIST, `${rel}.html`)]) {
    if (candidate.startsWith(WEB_DIST) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

export async function startSceneServer(): Promise<SceneServer> {
  if (!existsSync(join(WEB_DIST, 'scene'))) throw new Error(`no built site at ${WEB_DIST}: run npm run build:web first`);
  const sockets = new Set<WebSocket>();
  let last: string | null = null;
  const server: Server = createServer((req, res) => {
    const file = fileFor(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not-found' }));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!new URL(req.url ?? '/', 'http://x').pathname.startsWith('/parties/arena/')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Pings and resyncs need no answer here: every message is a whole snapshot.
      if (last) ws.send(last);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/scene`,
    send(s) {
      last = JSON.stringify(s);
      for (const ws of sockets) ws.send(last);
    },
    get pages() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
