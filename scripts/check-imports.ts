/**
 * `npm run check:imports`: every package a workspace imports is declared in that workspace's package.json (the
 * root's for scripts/ and the root config files), and no file reaches into another workspace by a relative path.
 * npm hoists everything into one node_modules, so an undeclared import resolves today and breaks the day another
 * workspace drops the dependency it was borrowing.
 *
 * Specifiers come from TypeScript's own import scanner (static and dynamic imports, re-exports, require calls);
 * .astro files are scanned in their frontmatter and <script> blocks. Runtime built-ins and virtual modules
 * (node:, cloudflare:, astro:) need no declaration.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|astro)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.astro', '.wrangler', '.data', 'test-output', 'test-results']);
const VIRTUAL = /^(node|cloudflare|astro|virtual):/;
/** Bundler aliases, not packages: web/astro.config.mjs points `altcha-dist` at altcha's own dist folder. */
const ALIASES = new Set(['altcha-dist']);

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

function declared(m: Manifest): Set<string> {
  const names = [m.dependencies, m.devDependencies, m.peerDependencies, m.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));
  return new Set(m.name ? [...names, m.name] : names);
}

function sourceFiles(dir: string, skip: Set<string>): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) || skip.has(path) ? [] : sourceFiles(path, skip);
    return SOURCE.test(e.name) ? [path] : [];
  });
}

/** The script parts of an .astro file: the frontmatter and every <script> block. */
function astroScripts(text: string): string {
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return [frontmatter, ...scripts].join('\n');
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`, `name/sub` → `name`), or null. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || VIRTUAL.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) || ALIASES.has(name) ? null : name;
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const code = file.endsWith('.astro') ? astroScripts(text) : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

const root = readManifest(ROOT);
const workspaces = (root.workspaces ?? []).map((w) => join(ROOT, w));
/** The workspace folder a path lies in, or the root for everything outside them. */
const ownerOf = (path: string) => workspaces.find((dir) => path === dir || path.startsWith(dir + sep)) ?? ROOT;

const problems: string[] = [];
for (const dir of [...workspaces, ROOT]) {
  const known = declared(readManifest(dir));
  const manifest = relative(ROOT, join(dir, 'package.json'));
  const missing = new Map<string, Set<string>>();
  for (const file of sourceFiles(dir, new Set(dir === ROOT ? workspaces : []))) {
    for (const spec of specifiers(file)) {
      const pkg = packageOf(spec);
      if (pkg && !known.has(pkg)) missing.set(pkg, (missing.get(pkg) ?? new Set()).add(relative(ROOT, file)));
      if (spec.startsWith('.') && ownerOf(resolve(dirname(file), spec)) !== dir) {
        problems.push(`${relative(ROOT, file)} reaches into another workspace by a relative path: ${spec}`);
      }
    }
  }
  for (const [pkg, files] of missing) {
    const list = [...files];
    const shown = list.slice(0, 3).join(', ') + (list.length > 3 ? `, … (${list.length} files)` : '');
    problems.push(`${manifest} does not declare ${pkg} (imported by ${shown})`);
  }
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log('check:imports: every workspace declares what it imports, and imports other workspaces by name');
