/**
 * For tests and the bench: a tiny local web server with a page that never stops moving (a box crossing the frame
 * on every animation frame, over a background of one known colour, so a decoded frame can be probed), with a 4-px
 * square of its own colour in each corner (CORNERS), so a capture that is off by a pixel or a row shows.
 */
import { createServer, type Server } from 'node:http';

export interface PageServer {
  /**
   * `http://127.0.0.1:<port>/`; `?bg=r,g,b` sets the background (default 200,40,40); `/busy` is the bench's page;
   * `/popup` is the page opening windows over itself; `/away` redirects to `/other` on another origin (localhost).
   */
  url: string;
  port: number;
  /** Requests for the page so far (each page open is one). */
  readonly hits: number;
  /** Every request so far: its Host header and path. */
  readonly requests: ReadonlyArray<{ host: string; path: string }>;
  close(): Promise<void>;
}

/** The corner squares' colours (RGB), top left, top right, bottom left, bottom right. */
export const CORNERS = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
] as const;

const corner = (i: number, place: string) => `<div style="position:fixed;${place};width:4px;height:4px;background:rgb(${CORNERS[i]!.join(',')})"></div>`;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>moving</title>
<style>html,body{margin:0;height:100%;overflow:hidden}#box{position:absolute;top:10%;width:12%;height:20%;background:#fff}</style>
</head><body><div id="box"></div>${corner(0, 'left:0;top:0')}${corner(1, 'right:0;top:0')}${corner(2, 'left:0;bottom:0')}${corner(3, 'right:0;bottom:0')}<script>
const bg = (new URLSearchParams(location.search).get('bg') || '200,40,40').split(',').map(Number);
document.body.style.background = 'rgb(' + bg.join(',') + ')';
const box = document.getElementById('box');
function step(t) { box.style.left = ((t / 8) % 88) + '%'; requestAnimationFrame(step); }
requestAnimationFrame(step);
</script></body></html>`;

/**
 * A page closer to a designed scene than PAGE, for the bench: a full-frame gradient, 24 moving cards with shadows
 * and text, two bars that change width and a clock, all redrawn on every animation frame (the whole frame changes,
 * every frame).
 */
const BUSY = `<!doctype html>
<html><head><meta charset="utf-8"><title>busy</title>
<style>html,body{margin:0;height:100%;overflow:hidden;font:600 28px system-ui,sans-serif;color:#fff}
body{background:linear-gradient(135deg,#1d2b64,#7b2ff7 50%,#f107a3)}
.card{position:absolute;width:11%;height:12%;border-radius:12px;background:rgba(255,255,255,.18);box-shadow:0 8px 24px rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center}
.bar{position:absolute;left:5%;height:5%;border-radius:8px}#a{top:5%;background:#ff5a5f}#b{top:12%;background:#3ec1ff}
#clock{position:absolute;right:5%;bottom:5%;font-size:64px}</style>
</head><body><div id="a" class="bar"></div><div id="b" class="bar"></div><div id="clock"></div><script>
const cards = [];
for (let i = 0; i < 24; i++) { const d = document.createElement('div'); d.className = 'card'; d.textContent = 'P' + i; document.body.appendChild(d); cards.push(d); }
const a = document.getElementById('a'), b = document.getElementById('b'), clock = document.getElementById('clock');
function step(t) {
  cards.forEach((d, i) => { d.style.left = ((t / 20 + i * 37) % 95) + '%'; d.style.top = (25 + ((i * 13 + t / 60) % 60)) + '%'; });
  a.style.width = (20 + 30 * (1 + Math.sin(t / 900))) + '%'; b.style.width = (20 + 30 * (1 + Math.cos(t / 700))) + '%';
  clock.textContent = (t / 1000).toFixed(2);
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
</script></body></html>`;

const OTHER = '<!doctype html><html><body style="background:#0f0"><h1>somewhere else</h1></body></html>';

/** PAGE, trying to open a window over itself (the same origin's green page) at load and again every second. */
const POPUP = PAGE.replace('<script>', "<script>const pop = () => window.open('/other', '_blank'); pop(); setInterval(pop, 1000);\n");

export async function startPageServer(): Promise<PageServer> {
  let hits = 0;
  const requests: Array<{ host: string; path: string }> = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ host: req.headers.host ?? '', path });
    if (path === '/') hits++;
    if (path === '/away') {
      // A same-origin address that redirects to another origin: the same server under the name localhost.
      res.writeHead(302, { location: `http://localhost:${(server.address() as { port: number }).port}/other` }).end();
      return;
    }
    const body = path === '/' ? PAGE : path === '/busy' ? BUSY : path === '/other' ? OTHER : path === '/popup' ? POPUP : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    get hits() {
      return hits;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
