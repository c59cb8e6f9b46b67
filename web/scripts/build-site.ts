/**
 * Build the site (Astro → web/dist) for the Worker's static assets, unless dist is already newer than every
 * source it is built from. Used by the local stack before the edge starts, and by the site's tests.
 *   node web/scripts/build-site.ts [--force]
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const WEB = resolve(import.meta.dirname, '..');
const ROOT = resolve(WEB, '..');
const SOURCES = [join(WEB, 'src'), join(WEB, 'public'), join(WEB, 'astro.config.mjs'), join(WEB, 'package.json'), join(ROOT, 'core/src'), join(ROOT, 'view/src'), join(ROOT, 'render-node/src/scene')];
const OUTPUT = join(WEB, 'dist/index.html');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

export function siteIsFresh(): boolean {
  return existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= Math.max(...SOURCES.map(newest));
}

export async function buildSite(opts: { force?: boolean; log?: (event: string, fields?: Record<string, unknown>) => void } = {}): Promise<{ built: boolean; ms: number }> {
  const t0 = Date.now();
  if (!opts.force && siteIsFresh()) return { built: false, ms: 0 };
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--silent'], {
      cwd: WEB,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`site build failed (astro build in web/): ${err.message}\n${err.stderr ?? ''}${err.stdout ?? ''}`.trim());
  }
  const ms = Date.now() - t0;
  opts.log?.('site.built', { ms });
  return { built: true, ms };
}

if (import.meta.main) {
  const { built, ms } = await buildSite({ force: process.argv.includes('--force') });
  console.log(built ? `site built in ${ms} ms → web/dist` : 'site is up to date (web/dist)');
}
