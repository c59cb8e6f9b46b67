/**
 * The local edge honours the assets' `_headers` file as Cloudflare does (edge-router.js): rules by path with
 * splats and placeholders, `! Name` removals, later rules appending, the file itself never served; and this
 * project's own web/public/_headers says what each page needs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskService } from '../test-support/disk-service.ts';
import { applyHeaderRules, assets, parseHeaders, withAssetRouting } from './edge-router.js';
import { REPO_ROOT } from './repo-root.ts';

const dir = mkdtempSync(join(tmpdir(), 'edge-headers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files: Record<string, string> = {
  'index.html': 'home',
  'overlay/index.html': 'overlay',
  'dashboard/index.html': 'dashboard',
  '_astro/app.1234.js': 'js',
  _headers: readFileSync(join(REPO_ROOT, 'web/public/_headers'), 'utf8'),
};
for (const [file, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}
const DIST = diskService(dir);
const worker = { fetch: async () => new Response('worker', { status: 404 }) };
const edge = withAssetRouting(worker, { runWorkerFirst: ['/', '/api/*'], assetsBinding: 'ASSETS', logRequests: false });
const env = { ASSETS: { fetch: (request: Request) => assets.fetch(request, { DIST }) } };
const get = (path: string) => edge.fetch!(new Request(`http://edge${path}`), env, {}) as Promise<Response>;

describe('the local edge and _headers', () => {
  it("applies this project's rules: security headers on pages, a year's cache on hashed assets", async () => {
    const dashboard = await get('/dashboard/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('x-content-type-options')).toBe('nosniff');
    expect(dashboard.headers.get('referrer-policy')).toBe('same-origin');
    expect(dashboard.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const overlay = await get('/overlay/');
    expect(overlay.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(overlay.headers.get('content-security-policy')).not.toContain('frame-ancestors');
    const js = await get('/_astro/app.1234.js');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/overlay/')).headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    // The Worker's ASSETS binding gets them too (the vote page sets its own on what it renders).
    expect((await env.ASSETS.fetch(new Request('http://edge/'))).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves the _headers file itself', async () => {
    expect(await (await get('/_headers')).text()).toBe('worker');
  });

  it("reads and applies rules as Cloudflare's asset worker does", () => {
    const { rules, invalid } = parseHeaders(
      [
        '# comment',
        'X-Orphan: no path yet',
        '/*',
        '  X-A: one',
        '  X-A: two',
        '/docs/:section/*',
        '  X-Section: :section/:splat',
        '  ! X-Drop',
        '/docs/*',
        '  X-A: three',
        '/a/*/b/*',
        '  X-Two-Splats: skipped',
        '/empty',
      ].join('\n'),
    );
    expect(rules.map((r) => r.path)).toEqual(['/*', '/docs/:section/*', '/docs/*']);
    expect(invalid).toHaveLength(3);
    const headers = new Headers({ 'x-drop': 'default', 'x-a': 'default' });
    applyHeaderRules(rules, 'http://edge/docs/guide/intro/start', headers);
    expect(Object.fromEntries(headers)).toEqual({ 'x-a': 'one, two, three', 'x-section': 'guide/intro/start' });
  });
});
