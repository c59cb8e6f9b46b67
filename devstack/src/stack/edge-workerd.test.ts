/**
 * The workerd runner's pure parts: wrangler.toml read (and refused where it asks for what the runner cannot
 * emulate), the generated workerd config, the LOG_LEVEL filter. The runner itself runs in the e2e tests.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { levelFilter, readWranglerToml, workerdBinary, workerdConfig } from './edge-workerd.ts';
import { REPO_ROOT } from './repo-root.ts';

const tmp = mkdtempSync(join(tmpdir(), 'edge-workerd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tomlFile(text: string): string {
  const path = join(tmp, `${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(path, `name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2026-01-01"\n${text}`);
  return path;
}

describe('the workerd runner', () => {
  it("reads this project's wrangler.toml", () => {
    const toml = readWranglerToml(join(REPO_ROOT, 'wrangler.toml'));
    expect(toml.main).toBe('edge/src/index.ts');
    expect(toml.durable_objects.bindings).toEqual([
      { name: 'Arena', class_name: 'Arena' },
      { name: 'Relay', class_name: 'Relay' },
      { name: 'VoteShard', class_name: 'VoteShard' },
    ]);
    expect(toml.migrations.flatMap((m) => m.new_sqlite_classes)).toEqual(['Arena', 'Relay', 'VoteShard']);
    expect(toml.assets).toMatchObject({ directory: 'web/dist', binding: 'ASSETS', run_worker_first: ['/', '/api/*', '/parties/*'] });
    expect(toml.vars.ROOM_NAME).toBe('main');
  });

  it('refuses what it cannot emulate, naming it', () => {
    expect(() => readWranglerToml(tomlFile('[[kv_namespaces]]\nbinding = "KV"\nid = "x"\n'))).toThrow(/kv_namespaces: not emulated[\s\S]*$/);
    expect(() => readWranglerToml(tomlFile('[assets]\ndirectory = "d"\nnot_found_handling = "single-page-application"\n'))).toThrow(/assets\.not_found_handling/);
    expect(() => readWranglerToml(tomlFile('[[durable_objects.bindings]]\nname = "A"\nclass_name = "A"\nscript_name = "other"\n'))).toThrow(/script_name/);
  });

  it('generates the config: bundle modules, vars over [vars], Durable Objects in wrangler\'s layout, the router', () => {
    const toml = readWranglerToml(join(REPO_ROOT, 'wrangler.toml'));
    const config = workerdConfig({
      toml,
      configDir: '/data/edge',
      modules: [{ name: 'index.js', path: '/data/edge/bundle/index.js', type: 'esModule' }],
      port: 8787,
      vars: { ROOM_NAME: 'other', SECRET: 'has "quotes" and\na newline' },
      doStorage: '/data/wrangler/v3/do',
      assetsDir: '/repo/web/dist',
      logRequests: true,
    });
    expect(config).toContain('(name = "index.js", esModule = embed "bundle/index.js")');
    expect(config).toContain('(name = "ROOM_NAME", text = "other")');
    expect(config).toContain('(name = "AI_MODEL", text = "meta-llama/llama-3.3-70b-instruct")');
    expect(config).toContain('(name = "SECRET", text = "has \\"quotes\\" and\\x0aa newline")');
    expect(config).toContain('(className = "Arena", uniqueKey = "stream-fighter-Arena", enableSql = true)');
    expect(config).toContain('(name = "ASSETS", service = (name = "assets", entrypoint = "assets"))');
    expect(config).toContain('address = "127.0.0.1:8787", service = "worker"');
    expect(config).toContain('http = (injectRequestHeaders = [(name = "CF-Connecting-IP", value = "127.0.0.1")])');
    expect(config).toContain('compatibilityFlags = ["nodejs_compat"]');
    // Full GCs early and always, not after tens of MB of C++ garbage (edge-workerd.ts V8_FLAGS); workerd refuses
    // to start on a flag its V8 does not know, so a stack start also checks the flags still exist.
    expect(config).toContain('v8Flags = ["--initial-old-space-size=12", "--gc-global"]');
    expect(config).toContain('(name = "assets-dir", disk = (path = "/repo/web/dist"))');
    // The Cache API goes to the local cache worker (edge-cache.js): plain workerd has none of its own.
    expect(config).toContain('cacheApiOutbound = (name = "cache", entrypoint = "cache")');
    expect(config).toContain('(name = "edge-cache.js", esModule = embed "');
    // The entry module: the bundle's exports (the Durable Object classes), its default export behind the routing.
    const entry = /\(name = "edge-entry\.js", esModule = ("(?:[^"\\]|\\.)*")\)/.exec(config)?.[1];
    expect(config.indexOf('edge-entry.js')).toBeLessThan(config.indexOf('"index.js"'));
    expect(JSON.parse(entry!.replaceAll('\\x0a', '\\n'))).toBe(
      [
        "import worker from './index.js';",
        "import { withAssetRouting } from './edge-router.js';",
        "export * from './index.js';",
        'export default withAssetRouting(worker, {"runWorkerFirst":["/","/api/*","/parties/*"],"assetsBinding":"ASSETS","logRequests":true});',
      ].join('\n'),
    );
  });

  it('finds the workerd binary wrangler runs', () => {
    const workerd = workerdBinary();
    expect(existsSync(workerd.path)).toBe(true);
    expect(workerd.compatibilityDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('honours LOG_LEVEL for the Worker\'s lines; workerd\'s own errors always show', () => {
    const warn = levelFilter('warn');
    expect(warn('{"level":"info","event":"x"}', 'stdout')).toBe(false);
    expect(warn('{"level":"warn","event":"x"}', 'stderr')).toBe(true);
    expect(warn('{"level":"error","event":"x"}', 'stderr')).toBe(true);
    expect(warn('plain console.log', 'stdout')).toBe(false);
    expect(warn('Uncaught exception: boom', 'stderr')).toBe(true);
    const info = levelFilter('info');
    expect(info('{"level":"info","event":"http.request"}', 'stdout')).toBe(true);
    expect(info('{"level":"debug","event":"x"}', 'stdout')).toBe(false);
    expect(levelFilter('debug')('{"level":"debug","event":"x"}', 'stdout')).toBe(true);
  });
});
