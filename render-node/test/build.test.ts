/**
 * The build production runs (build.ts): the bundle starts and parses its configuration like the sources do, and the
 * Dockerfile and `npm start` run it with the Node flags and environment build.ts lists (the ones the bench measures).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_WORKER_ENTRY, DIST_DIR, MAIN_ENTRY, NODE_ENV, NODE_FLAGS, RENDER_NODE_DIR, buildBundles } from '../build.ts';

const dockerfile = readFileSync(resolve(RENDER_NODE_DIR, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(RENDER_NODE_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('render-node build', () => {
  // Under dist/ so the bundle resolves node_modules (the native addon, the fonts) as dist/main.js does, without
  // touching dist/main.js itself.
  mkdirSync(DIST_DIR, { recursive: true });
  const out = mkdtempSync(join(DIST_DIR, 'test-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles main.ts into one file that starts and checks its configuration', async () => {
    const [mainJs] = await buildBundles([MAIN_ENTRY], out);
    const r = await execa(process.execPath, [...NODE_FLAGS, mainJs!], { reject: false, env: { ...NODE_ENV, RENDERER_TOKEN: 'short' }, extendEnv: false, timeout: 20_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/RENDERER_TOKEN/);
  });

  it("bundles the browser renderer's worker next to main.js, where the browser source loads it from", async () => {
    const [mainJs, workerJs] = await buildBundles([MAIN_ENTRY, BROWSER_WORKER_ENTRY], out);
    expect(workerJs).toBe(join(out, 'browser-worker.js'));
    // The bundle's own address for it: next to whatever bundle the browser source is in.
    expect(readFileSync(mainJs!, 'utf8')).toContain('./browser-worker.js');
    // Run as a plain script it loads every import, then says it is a worker thread's entry (and nothing else).
    const r = await execa(process.execPath, [...NODE_FLAGS, workerJs!], { reject: false, env: { ...NODE_ENV }, extendEnv: false, timeout: 20_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/runs as a worker thread/);
  });

  it('runs in Docker with the flags and environment build.ts lists', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...NODE_FLAGS, 'render-node/dist/main.js']);
    expect(dockerfile).toMatch(/^RUN node render-node\/build\.ts$/m);
    for (const [k, v] of Object.entries(NODE_ENV)) expect(dockerfile).toMatch(new RegExp(`^\\s*(ENV )?${k}=${v}\\b`, 'm'));
  });

  it('runs under npm start with the same flags and environment', () => {
    const env = Object.entries(NODE_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
    expect(pkg.scripts.start).toBe(`node build.ts && ${env} node ${NODE_FLAGS.join(' ')} dist/main.js`);
  });
});
