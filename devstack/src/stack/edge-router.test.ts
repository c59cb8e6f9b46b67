/**
 * The local edge's routing (edge-router.js), run in Node against a stand-in for workerd's disk service: the
 * Worker-first paths, Cloudflare's auto-trailing-slash html_handling (the expectations are what `wrangler dev`,
 * i.e. Cloudflare's own asset worker, answered for the same paths), content types and revalidation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskService } from '../test-support/disk-service.ts';
import { assets, contentType, routeMatcher, withAssetRouting } from './edge-router.js';

const dir = mkdtempSync(join(tmpdir(), 'edge-router-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const file of ['index.html', 'results/index.html', 'about.html', 'favicon.svg', '_astro/app.js', 'my file.txt']) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), `contents of ${file}`);
}

const DIST = diskService(dir);
/** The Worker: answers 404 to everything, saying which path it saw. */
const worker = { fetch: async (request: Request) => new Response(`worker: ${new URL(request.url).pathname}`, { status: 404 }) };
const edge = withAssetRouting(worker, { runWorkerFirst: ['/', '/api/*', '/parties/*'], assetsBinding: 'ASSETS', logRequests: false });
const env = { ASSETS: { fetch: (request: Request) => assets.fetch(request, { DIST }) } };
const fetchEdge = async (request: Request) => edge.fetch!(request, env, {});

async function get(path: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; type: string | null; body: string }> {
  const res = await fetchEdge(new Request(`http://edge${path}`, init));
  return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), body: await res.text() };
}

describe('the local edge router', () => {
  it('sends the Worker-first paths to the Worker, even where an asset exists', async () => {
    expect((await get('/')).body).toBe('worker: /');
    expect((await get('/api/health')).body).toBe('worker: /api/health');
    expect((await get('/parties/arena/main')).body).toBe('worker: /parties/arena/main');
  });

  it('serves html the auto-trailing-slash way, redirecting the other spellings (307)', async () => {
    const cases: Array<[string, number, string | null]> = [
      ['/results/', 200, null],
      ['/results', 307, '/results/'],
      ['/results/index.html', 307, '/results/'],
      ['/results.html', 307, '/results/'],
      ['/about', 200, null],
      ['/about.html', 307, '/about'],
      ['/about/', 307, '/about'],
      ['/index.html', 307, '/'],
      ['/index', 307, '/'],
      ['/results?x=1', 307, '/results/?x=1'],
      ['/results//', 307, '/results/'],
      ['/%72esults/', 307, '/results/'],
    ];
    for (const [path, status, location] of cases) {
      const res = await get(path);
      expect({ path, status: res.status, location: res.location }).toEqual({ path, status, location });
    }
    expect((await get('/results/')).body).toBe('contents of results/index.html');
    expect((await get('/about')).body).toBe('contents of about.html');
  });

  it('serves files with their content type, and a miss or another method goes to the Worker', async () => {
    expect(await get('/favicon.svg')).toMatchObject({ status: 200, type: 'image/svg+xml', body: 'contents of favicon.svg' });
    expect(await get('/_astro/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await get('/my%20file.txt')).toMatchObject({ status: 200, type: 'text/plain; charset=utf-8' });
    for (const path of ['/nope', '/_astro/', '/_astro', '/favicon.svg/', '/RESULTS/']) expect((await get(path)).body, path).toBe(`worker: ${path}`);
    expect((await get('/favicon.svg', { method: 'POST' })).body).toBe('worker: /favicon.svg');
  });

  it('answers a revalidation with 304', async () => {
    const first = await fetchEdge(new Request('http://edge/favicon.svg'));
    const etag = first.headers.get('etag');
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const again = await fetchEdge(new Request('http://edge/favicon.svg', { headers: { 'if-none-match': etag! } }));
    expect(again.status).toBe(304);
  });

  it("is the Worker's ASSETS binding: `/` is index.html, a miss a plain 404", async () => {
    const page = await assets.fetch(new Request('http://edge/'), { DIST });
    expect([page.status, await page.text()]).toEqual([200, 'contents of index.html']);
    expect((await assets.fetch(new Request('http://edge/nope'), { DIST })).status).toBe(404);
  });

  it('passes the Worker its other handlers unchanged, and refuses what it cannot wrap', () => {
    const scheduled = function (this: unknown) {
      return this;
    };
    const handlers = { fetch: worker.fetch, scheduled };
    expect(withAssetRouting(handlers, { runWorkerFirst: [], assetsBinding: 'ASSETS', logRequests: false }).scheduled).toBeTypeOf('function');
    expect((withAssetRouting(handlers, { runWorkerFirst: [], assetsBinding: 'ASSETS', logRequests: false }).scheduled as () => unknown)()).toBe(handlers);
    expect(() => withAssetRouting({}, { runWorkerFirst: [], assetsBinding: 'ASSETS', logRequests: false })).toThrow(/EDGE_RUNNER=wrangler/);
  });

  it("matches Cloudflare's route patterns", () => {
    const matches = (path: string, patterns: string[]) => routeMatcher(patterns)(path);
    expect(matches('/api/x/y', ['/api/*'])).toBe(true);
    expect(matches('/api', ['/api/*'])).toBe(false);
    expect(matches('/', ['/'])).toBe(true);
    expect(matches('/x', ['/'])).toBe(false);
    expect(matches('/api/public/a', ['/api/*', '!/api/public/*'])).toBe(false);
    expect(matches('/a.b', ['/a.b'])).toBe(true);
    expect(matches('/axb', ['/a.b'])).toBe(false);
    expect(contentType('x/font.WOFF2')).toBe('font/woff2');
    expect(contentType('site.webmanifest')).toBe('application/manifest+json');
    expect(contentType('noext')).toBe('application/octet-stream');
  });
});
