/**
 * The local edge in plain workerd, the runtime Cloudflare runs in production: the bundle `wrangler deploy` would
 * upload (built by wrangler itself, `deploy --dry-run`), run by the workerd binary wrangler ships with, from a
 * config generated from wrangler.toml. Compared with `wrangler dev` (a proxy worker, Miniflare's entry worker and
 * their per-request glue, in two workerd processes) it takes several times less CPU per request. edge-router.js
 * does what Cloudflare does with the [assets] block (and its `_headers`), edge-cache.js is the Cache API.
 *
 * The Durable Objects' storage uses wrangler's `--persist-to` layout, so EDGE_RUNNER=wrangler sees the same room.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { runChild, startChild, type LineFilter } from './children.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Log = (event: string, fields?: Record<string, unknown>) => void;

/** What `--persist-to` is under `wrangler dev`; the Durable Objects' files are in its `v3/do`. */
export const PERSIST_DIR = 'wrangler';
const ROUTER = join(import.meta.dirname, 'edge-router.js');
const CACHE = join(import.meta.dirname, 'edge-cache.js');

/** The part of wrangler.toml the local edge needs. Anything it cannot emulate is refused, not ignored. */
const WranglerToml = z.object({
  name: z.string(),
  main: z.string(),
  compatibility_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  compatibility_flags: z.array(z.string()).default([]),
  vars: z.record(z.string(), z.unknown()).default({}),
  durable_objects: z
    .object({ bindings: z.array(z.object({ name: z.string(), class_name: z.string(), script_name: z.never({ error: 'Durable Objects of another Worker: not emulated' }).optional() })).default([]) })
    .default({ bindings: [] }),
  migrations: z.array(z.object({ new_classes: z.array(z.string()).default([]), new_sqlite_classes: z.array(z.string()).default([]) })).default([]),
  assets: z
    .object({
      directory: z.string(),
      binding: z.string().optional(),
      run_worker_first: z.union([z.boolean(), z.array(z.string())]).default(false),
      html_handling: z.literal('auto-trailing-slash', { error: 'only the default html_handling (auto-trailing-slash)' }).default('auto-trailing-slash'),
      not_found_handling: z.literal('none', { error: 'only the default not_found_handling (none)' }).default('none'),
    })
    .optional(),
});
export type WranglerToml = z.infer<typeof WranglerToml>;

/** Bindings this runner does not provide: such a wrangler.toml needs EDGE_RUNNER=wrangler. */
const UNSUPPORTED = ['kv_namespaces', 'r2_buckets', 'd1_databases', 'services', 'queues', 'ai', 'vectorize', 'hyperdrive', 'workflows', 'analytics_engine_datasets', 'browser', 'send_email', 'dispatch_namespaces', 'mtls_certificates', 'secrets_store_secrets', 'images', 'containers', 'unsafe', 'wasm_modules', 'text_blobs', 'data_blobs', 'triggers'];

export function readWranglerToml(path: string): WranglerToml {
  const raw = parseToml(readFileSync(path, 'utf8'));
  const problems = UNSUPPORTED.filter((k) => k in raw).map((k) => `${k}: not emulated`);
  const parsed = WranglerToml.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  if (problems.length > 0) {
    throw new Error(`${path} has what the workerd runner does not support (use EDGE_RUNNER=wrangler):\n  ${problems.join('\n  ')}`);
  }
  return parsed.data!;
}

const WRANGLER_MAIN = createRequire(import.meta.url).resolve('wrangler');
/** wrangler's command-line entry point (run with `node`). */
export const WRANGLER_BIN = resolve(dirname(WRANGLER_MAIN), '../bin/wrangler.js');

/** The workerd binary wrangler itself runs (its `workerd` dependency), and the newest compatibility date it knows. */
export function workerdBinary(): { path: string; compatibilityDate: string } {
  const fromWrangler = createRequire(WRANGLER_MAIN);
  const workerd = fromWrangler('workerd') as { default: string; compatibilityDate: string };
  return { path: workerd.default, compatibilityDate: workerd.compatibilityDate };
}

export interface WorkerdEdgeOptions {
  /** wrangler.toml */
  wranglerToml: string;
  port: number;
  /** Where the bundle, the generated config and the Durable Objects' storage go. */
  dataDir: string;
  /** The Worker's variables and secrets, over wrangler.toml's [vars]. */
  vars: Record<string, string>;
  logLevel: LogLevel;
  log: Log;
  /** A bundle built beforehand by `buildWorkerBundle` (read only): the test stacks of one run share one. */
  bundleDir?: string;
}

/** The bundle `wrangler deploy` would upload, built by wrangler itself (`deploy --dry-run`) into `outDir`. */
export async function buildWorkerBundle(wranglerToml: string, outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await runChild(process.execPath, [WRANGLER_BIN, 'deploy', '--dry-run', '--outdir', outDir, '--config', wranglerToml], { ...process.env, WRANGLER_SEND_METRICS: 'false' });
}

export async function startWorkerdEdge(o: WorkerdEdgeOptions): Promise<ChildProcess> {
  const toml = readWranglerToml(o.wranglerToml);
  const dir = join(o.dataDir, 'edge');
  mkdirSync(dir, { recursive: true });
  const bundleDir = o.bundleDir ?? join(dir, 'bundle');
  if (!o.bundleDir) await buildWorkerBundle(o.wranglerToml, bundleDir);

  const workerd = workerdBinary();
  let compatibilityDate = toml.compatibility_date;
  if (compatibilityDate > workerd.compatibilityDate) {
    o.log('edge.compatibility-date', { level: 'warn', wanted: compatibilityDate, using: workerd.compatibilityDate, reason: 'newer than the installed workerd supports' });
    compatibilityDate = workerd.compatibilityDate;
  }
  const doStorage = join(o.dataDir, PERSIST_DIR, 'v3', 'do');
  mkdirSync(doStorage, { recursive: true });
  const configPath = join(dir, 'workerd.capnp');
  const config = workerdConfig({
    toml: { ...toml, compatibility_date: compatibilityDate },
    configDir: dir,
    modules: bundleModules(bundleDir, toml.main),
    port: o.port,
    vars: o.vars,
    doStorage,
    assetsDir: toml.assets ? resolve(dirname(o.wranglerToml), toml.assets.directory) : null,
    logRequests: o.logLevel === 'debug' || o.logLevel === 'info',
  });
  // The config holds the secrets: readable by this user only.
  writeFileSync(configPath, config, { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return startChild('edge', workerd.path, ['serve', '--experimental', configPath], process.env, levelFilter(o.logLevel));
}

interface Module {
  name: string;
  path: string;
  type: 'esModule' | 'commonJsModule' | 'wasm';
}

/** The bundle's modules, the main one first. */
function bundleModules(bundleDir: string, main: string): Module[] {
  const types: Record<string, Module['type']> = { '.js': 'esModule', '.mjs': 'esModule', '.cjs': 'commonJsModule', '.wasm': 'wasm' };
  const mainName = basename(main).replace(/\.[cm]?[jt]sx?$/, '.js');
  const files = readdirSync(bundleDir).filter((f) => !f.endsWith('.map') && f !== 'README.md');
  const modules = files.map((name) => {
    const type = types[name.slice(name.lastIndexOf('.'))];
    if (!type) throw new Error(`the bundle has a module workerd is not told how to load: ${join(bundleDir, name)}`);
    return { name, path: join(bundleDir, name), type };
  });
  const first = modules.find((m) => m.name === mainName);
  if (!first) throw new Error(`no ${mainName} in the bundle (${bundleDir}: ${files.join(', ') || 'empty'})`);
  return [first, ...modules.filter((m) => m !== first)];
}

/**
 * V8 flags for the isolates, for the Worker's memory over days of `npm start`. Every request leaves garbage on the
 * C++ side (request, response, RPC and stream objects, and the native memory they hold) that only a full
 * (mark-compact) GC frees, and V8 runs the first one only when the old generation reaches its initial limit, sized
 * for heaps far bigger than the Worker's (about 11 MB live). Under `npm start --demo`'s steady traffic that took
 * 15-20 minutes, while the RSS grew by about 60 MB, which the allocator keeps. Starting the limit next to the live
 * heap brings the first full GC within the first minute. The native memory still rose after it: young GCs do not
 * free that C++ garbage, and workerd's allocator (tcmalloc) kept the pages of each new peak of it, about 7 MB over
 * the first half hour of `npm run soak`. `--gc-global` makes every GC a full one, over a heap this small: the native
 * memory then held flat (tcmalloc's region 24.9 → 25.4 MB in 11 minutes, against 25.3 → 31.3 MB in 9 without), the
 * process 20 MB smaller, at 2.5 % of a core under the demo's traffic. Its price shows under heavy load:
 * `npm run bench:votes` took 0.92 CPU ms per vote instead of 0.91 unsharded, 1.51 instead of 1.28 with eight vote
 * shards. Nothing the Worker sees changes; Cloudflare runs its own memory policy. workerd refuses to start on a flag
 * its V8 does not know.
 */
const V8_FLAGS = ['--initial-old-space-size=12', '--gc-global'];

/** A Cap'n Proto text literal. */
const str = (s: string) => `"${s.replace(/[\\"]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;

export interface ConfigInput {
  toml: WranglerToml;
  /** Where the config file goes: `embed` paths are relative to it. */
  configDir: string;
  modules: Module[];
  port: number;
  vars: Record<string, string>;
  doStorage: string;
  assetsDir: string | null;
  logRequests: boolean;
}

/**
 * The workerd config (Cap'n Proto text). With [assets]: the socket goes to the Worker behind a generated entry
 * module that routes as Cloudflare does (edge-router.js `withAssetRouting`), and an `assets` worker serves the
 * directory and is the Worker's ASSETS binding.
 */
export function workerdConfig(c: ConfigInput): string {
  const { toml } = c;
  const embed = (path: string) => `embed ${str(relative(c.configDir, path))}`;
  const sqlite = new Set(toml.migrations.flatMap((m) => m.new_sqlite_classes));
  const vars = { ...toml.vars, ...c.vars };
  const assets = toml.assets && c.assetsDir ? { ...toml.assets, dir: c.assetsDir, binding: toml.assets.binding ?? '__EDGE_ASSETS' } : null;
  const bindings = [
    ...Object.entries(vars).map(([k, v]) => (typeof v === 'string' ? `(name = ${str(k)}, text = ${str(v)})` : `(name = ${str(k)}, json = ${str(JSON.stringify(v))})`)),
    ...toml.durable_objects.bindings.map((b) => `(name = ${str(b.name)}, durableObjectNamespace = ${str(b.class_name)})`),
    ...(assets ? [`(name = ${str(assets.binding)}, service = (name = "assets", entrypoint = "assets"))`] : []),
  ];
  const classes = [...new Set(toml.durable_objects.bindings.map((b) => b.class_name))];
  const namespaces = classes.map((cls) => `(className = ${str(cls)}, uniqueKey = ${str(`${toml.name}-${cls}`)}, enableSql = ${sqlite.has(cls)})`);
  const list = (items: string[], indent = '    ') => items.map((i) => `\n${indent}${i},`).join('') + '\n  ';

  const services = [
    '(name = "worker", worker = .worker)',
    `(name = "do-storage", disk = (path = ${str(c.doStorage)}, writable = true))`,
    // The Worker reaches the local stand-ins on 127.0.0.1 as well as the internet (Neon, Upstash, the AI API).
    '(name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true)))',
    // workerd has no cache of its own: without a cacheApiOutbound, caches.default matches nothing and stores nothing.
    '(name = "cache", worker = .cache)',
  ];
  const modules = c.modules.map((m) => `(name = ${str(m.name)}, ${m.type} = ${embed(m.path)})`);
  let assetsWorker = '';
  if (assets) {
    const rwf = assets.run_worker_first;
    const routing = { runWorkerFirst: rwf === true ? ['/*'] : rwf === false ? [] : rwf, assetsBinding: assets.binding, logRequests: c.logRequests };
    const main = c.modules[0]!.name;
    const entry = [
      `import worker from './${main}';`,
      `import { withAssetRouting } from './edge-router.js';`,
      `export * from './${main}';`,
      `export default withAssetRouting(worker, ${JSON.stringify(routing)});`,
    ].join('\n');
    modules.unshift(`(name = "edge-entry.js", esModule = ${str(entry)})`);
    modules.push(`(name = "edge-router.js", esModule = ${embed(ROUTER)})`);
    services.push('(name = "assets", worker = .assets)', `(name = "assets-dir", disk = (path = ${str(assets.dir)}))`);
    assetsWorker = `
const assets :Workerd.Worker = (
  modules = [(name = "edge-router.js", esModule = ${embed(ROUTER)})],
  compatibilityDate = ${str(toml.compatibility_date)},
  bindings = [(name = "DIST", service = "assets-dir")],
);
`;
  }
  return `# Generated by devstack/src/stack/edge-workerd.ts from ${toml.name}'s wrangler.toml: edit that, not this.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [${list(services)}],
  v8Flags = [${V8_FLAGS.map(str).join(', ')}],
  # The socket listens on 127.0.0.1 only, so every caller is 127.0.0.1: the Worker sees that in CF-Connecting-IP,
  # as under wrangler dev and behind Cloudflare (which also replaces any such header the caller sent).
  sockets = [(name = "http", address = ${str(`127.0.0.1:${c.port}`)}, service = "worker",
    http = (injectRequestHeaders = [(name = "CF-Connecting-IP", value = "127.0.0.1")]))],
);

const worker :Workerd.Worker = (
  modules = [${list(modules)}],
  compatibilityDate = ${str(toml.compatibility_date)},
  compatibilityFlags = [${toml.compatibility_flags.map(str).join(', ')}],
  bindings = [${list(bindings)}],
  durableObjectNamespaces = [${list(namespaces)}],
  durableObjectStorage = (localDisk = "do-storage"),
  globalOutbound = "internet",
  cacheApiOutbound = (name = "cache", entrypoint = "cache"),
);

const cache :Workerd.Worker = (
  modules = [(name = "edge-cache.js", esModule = ${embed(CACHE)})],
  compatibilityDate = ${str(toml.compatibility_date)},
);
${assetsWorker}`;
}

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * LOG_LEVEL for the Worker's output: its structured lines by their `level`, other stdout lines (console.log) as
 * info. Other stderr lines (workerd's own errors, uncaught exceptions) always show.
 */
export function levelFilter(min: LogLevel): LineFilter {
  const rank = (l: unknown) => LEVELS.indexOf(l as LogLevel);
  return (line, stream) => {
    let level: unknown = stream === 'stdout' ? 'info' : null;
    if (line.startsWith('{')) {
      try {
        level = (JSON.parse(line) as { level?: unknown }).level ?? level;
      } catch {
        // not JSON after all
      }
    }
    return rank(level) < 0 || rank(level) >= rank(min);
  };
}
