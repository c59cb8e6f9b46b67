/**
 * The render node's build: its TypeScript bundled by esbuild into one JavaScript file per entry, which is what
 * production runs (render-node/Dockerfile, `npm start` in render-node) and what `npm run bench:render` measures.
 *
 *   node render-node/build.ts        → render-node/dist/main.js and dist/browser-worker.js (+ .map)
 *
 * Why a bundle rather than running the .ts sources: at 720p30 the service's RSS went from ~190 MB to ~160 MB.
 * Node's type stripping keeps its TypeScript compiler (a WebAssembly module) and every module's source around, and
 * Node's ESM loader keeps a record per file; one file with the types already gone needs none of that. The sources
 * still run directly (`node render-node/src/main.ts`), which the tests and the local stack use.
 *
 * The flags and environment production runs with are here too, so the Dockerfile, `npm start` and the bench
 * cannot drift apart (test/build.test.ts checks the first two against these).
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RENDER_NODE_DIR = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(RENDER_NODE_DIR, 'dist');

/**
 * Node's flags in production. Each was measured with bench/pipeline.ts (render-node/README.md, "Benchmarks"):
 * - `--max-opt=1 --optimize-for-size`: V8 runs our JavaScript in its interpreter and Sparkplug (a baseline compiler
 *   that translates bytecode without optimizing), never TurboFan or Maglev, and sizes its heap for memory rather than
 *   speed. Together: Node at 720p30 ~115 MB RSS instead of ~128, for the same CPU (~0.15 core) and draw time; each
 *   alone saves ~4 MB (TurboFan's code, its compile-time memory and the heap it lets grow go together). It costs
 *   nothing because per frame the JavaScript only makes calls into Skia and copies; the one hot loop of arithmetic,
 *   the audio, is integer table work (src/encoder/audio-mixer.ts). WebAssembly, which Node's
 *   fetch and WebSocket need, is untouched (`--jitless` and `--lite-mode` would turn it off).
 * - `--max-semi-space-size=2` (MB): the young generation holds little but each frame's small objects; V8's default
 *   lets it grow to 16 MB per semi-space, ~12 MB of RSS for nothing.
 * - `--single-threaded`: no V8 worker threads (concurrent GC marking, background compiles). ~4 MB less RSS, the same
 *   CPU; and in 6 of 6 runs at 1080p no bursts of full GCs (without it, about every other run had ~10 a second).
 */
export const NODE_FLAGS = ['--max-opt=1', '--optimize-for-size', '--max-semi-space-size=2', '--single-threaded'] as const;

/**
 * Environment for the Node process; it must be there before the process starts (glibc and the addon's allocator
 * read it as they load), so it cannot be set from inside.
 * - `MIMALLOC_PURGE_DELAY=100` (ms): @napi-rs/canvas allocates with its own mimalloc. The renderer frees each frame's
 *   pixel buffer before the next frame (src/scene/renderer.ts), and mimalloc keeps freed pages this long before it
 *   returns them, longer than a frame (33 ms), so the next frame reuses the same warm pages. At 0 every frame
 *   faulted in ~900 fresh pages at 720p: draw + readback 3.1 ms instead of 1.8, for ~4 MB less RSS.
 * - `MALLOC_ARENA_MAX=1`: glibc's malloc gives each thread that allocates its own arena and keeps what each once
 *   held; with one arena, Node's RSS at 720p went from ~150 to ~140 MB at the same CPU. FFmpeg inherits it (no
 *   change there: 78 MB either way).
 * - `DISABLE_SYSTEM_FONTS_LOAD=1`: @napi-rs/canvas otherwise scans every installed font as it loads; the scene draws
 *   only the fonts it registers (src/scene/fonts.ts), and no system font ever stood in for a missing glyph (Cyrillic,
 *   Greek and CJK drew the same pixels either way). The scan kept ~5.5 MB of font files resident at 720p (42 DejaVu
 *   and Liberation files here; an image with Chromium's fonts has hundreds).
 */
export const NODE_ENV: Readonly<Record<string, string>> = { MIMALLOC_PURGE_DELAY: '100', MALLOC_ARENA_MAX: '1', DISABLE_SYSTEM_FONTS_LOAD: '1' };

export type Entry = { in: string; out: string };

export const MAIN_ENTRY: Entry = { in: 'src/main.ts', out: 'main' };
/** The browser renderer's worker thread, loaded next to the bundle that starts it (src/browser/worker-browser-source.ts). */
export const BROWSER_WORKER_ENTRY: Entry = { in: 'src/browser/browser-worker.ts', out: 'browser-worker' };

/** Bundles the entries (paths relative to render-node/) into <outdir>/<out>.js; returns the output paths. */
export async function buildBundles(entries: readonly Entry[] = [MAIN_ENTRY, BROWSER_WORKER_ENTRY], outdir = DIST_DIR): Promise<string[]> {
  await build({
    absWorkingDir: RENDER_NODE_DIR,
    entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // The native addon loads its .node file relative to its package, and playwright-core (the browser renderer, loaded
    // only when a page screen starts) its driver files relative to its own: both stay packages; the rest is bundled.
    external: ['@napi-rs/canvas', 'playwright-core'],
    // Some CommonJS dependencies call require() for Node's built-in modules; an ES module has no require of its own.
    banner: { js: "import { createRequire as __sfCreateRequire } from 'node:module'; const require = __sfCreateRequire(import.meta.url);" },
    // Stack traces point into dist/*.js; the map (not loaded at run time) leads back to the sources.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return entries.map((e) => join(outdir, `${e.out}.js`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outs = await buildBundles();
  process.stdout.write(`built ${outs.join(', ')}\n`);
}
