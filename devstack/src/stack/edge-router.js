// @ts-check
/**
 * What Cloudflare does in front of a Worker with static assets (wrangler.toml [assets]), for the local edge in
 * workerd (edge-workerd.ts). Paths matching `run_worker_first` go to the Worker; other GET/HEAD requests are
 * served from the assets directory (a workerd `disk` service) with Cloudflare's default `html_handling`
 * ("auto-trailing-slash"); anything else, and every asset miss, goes to the Worker.
 *
 * The assets directory's `_headers` file is applied to what it serves, as Cloudflare applies it, and never served.
 *
 * Two halves: `assets`, the entrypoint of a small worker of its own that is the Worker's ASSETS binding, and
 * `withAssetRouting`, which the generated entry module wraps around the Worker's handlers, so the API and the
 * room cost no extra hop between services. Plain JavaScript: workerd loads this file as it is.
 */

/** @typedef {{ fetch(request: Request | string, init?: RequestInit): Promise<Response> }} Fetcher */
/** @typedef {{ file: string } | { redirect: string }} Intent */
/**
 * @typedef {object} Routing
 * @property {string[]} runWorkerFirst wrangler.toml's `run_worker_first` patterns
 * @property {string} assetsBinding the Worker's binding to the assets worker
 * @property {boolean} logRequests a JSON line per request (LOG_LEVEL info or debug)
 */
/** @typedef {{ fetch?(request: Request, env: Record<string, unknown>, ctx: unknown): Promise<Response> | Response } & Record<string, unknown>} Handlers */

/**
 * The Worker's default export with Cloudflare's routing in front of its `fetch`; its other handlers unchanged.
 * @param {Handlers} worker
 * @param {Routing} routing
 * @returns {Handlers}
 */
export function withAssetRouting(worker, routing) {
  if (typeof worker !== 'object' || worker === null || typeof worker.fetch !== 'function') {
    throw new Error('the workerd runner wraps a default export object with a fetch handler (use EDGE_RUNNER=wrangler)');
  }
  const handlers = /** @type {Handlers} */ (Object.fromEntries(Object.entries(worker).map(([k, v]) => [k, typeof v === 'function' ? v.bind(worker) : v])));
  const workerFetch = /** @type {NonNullable<Handlers['fetch']>} */ (handlers.fetch);
  const workerFirst = routeMatcher(routing.runWorkerFirst);
  /** @param {Request} request @param {Record<string, unknown>} env @param {unknown} ctx */
  const route = async (request, env, ctx) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && !workerFirst(new URL(request.url).pathname)) {
      const asset = await /** @type {Fetcher} */ (env[routing.assetsBinding]).fetch(request);
      if (asset.status !== 404) return asset;
    }
    return workerFetch(request, env, ctx);
  };
  handlers.fetch = async (request, env, ctx) => {
    if (!routing.logRequests) return route(request, env, ctx);
    const started = Date.now();
    const response = await route(request, env, ctx);
    const line = { level: 'info', event: 'http.request', method: request.method, path: new URL(request.url).pathname, status: response.status, ms: Date.now() - started };
    console.log(JSON.stringify(line));
    return response;
  };
  return handlers;
}

/** The Worker's ASSETS binding (and the router's asset lookup): the asset, a redirect to it, or a plain 404. */
export const assets = {
  /** @param {Request} request @param {{ DIST: Fetcher }} env */
  async fetch(request, env) {
    const found = await serveAsset(request, env.DIST);
    if (!found) return new Response(null, { status: 404 });
    applyHeaderRules(await headerRules(env.DIST), request.url, found.headers);
    return found;
  },
};

/** Read as configuration by Cloudflare's asset worker, never served as assets. */
const CONFIG_FILES = new Set(['/_headers', '/_redirects']);
/** Cloudflare's limits for a `_headers` file. */
const MAX_HEADER_RULES = 100;
const MAX_LINE_LENGTH = 2000;

/**
 * @typedef {object} HeaderRule
 * @property {string} path the rule's path or https:// URL, `*` a splat and `:name` a placeholder
 * @property {RegExp} regex
 * @property {Record<string, string>} set lower-case names; a name repeated in one rule joins its values with ", "
 * @property {string[]} unset names after `! `
 */

/**
 * A `_headers` file, as Cloudflare reads it: a path (or https:// URL) starts a rule, its indented lines are
 * `Name: value` or `! Name` (remove); `#` starts a comment. What Cloudflare would skip is returned in `invalid`.
 * Exported for tests.
 * @param {string} text
 * @returns {{ rules: HeaderRule[], invalid: string[] }}
 */
export function parseHeaders(text) {
  /** @type {HeaderRule[]} */
  const rules = [];
  /** @type {string[]} */
  const invalid = [];
  /** @type {HeaderRule | null} */
  let rule = null;
  // After a path that is refused, its header lines are skipped with it.
  let skipping = false;
  const close = () => {
    if (rule && (Object.keys(rule.set).length > 0 || rule.unset.length > 0)) rules.push(rule);
    else if (rule) invalid.push(`${rule.path}: no headers`);
    rule = null;
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.length > MAX_LINE_LENGTH) {
      invalid.push(`line ${i + 1}: longer than ${MAX_LINE_LENGTH}`);
      continue;
    }
    if (line.startsWith('/') || line.startsWith('https://')) {
      close();
      skipping = false;
      if (rules.length >= MAX_HEADER_RULES) {
        invalid.push(`line ${i + 1}: more than ${MAX_HEADER_RULES} rules`);
        break;
      }
      if ((line.match(/\*/g) ?? []).length > 1) {
        invalid.push(`line ${i + 1}: more than one *`);
        skipping = true;
        continue;
      }
      rule = { path: line, regex: ruleRegex(line), set: {}, unset: [] };
      continue;
    }
    if (skipping) continue;
    if (!rule) {
      invalid.push(`line ${i + 1}: a header before any path`);
      continue;
    }
    if (line.startsWith('! ')) {
      rule.unset.push(line.slice(2).trim().toLowerCase());
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (!name || !value || name.includes(' ')) {
      invalid.push(`line ${i + 1}: not a "Name: value" pair`);
      continue;
    }
    rule.set[name] = rule.set[name] ? `${rule.set[name]}, ${value}` : value;
  }
  close();
  return { rules, invalid };
}

/** @param {string} path */
function ruleRegex(path) {
  let source = path
    .split('*')
    .map((part) => part.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&'))
    .join('(?<splat>.*)');
  source = source.replace(/:([A-Za-z]\w*)/g, (_, name) => `(?<${name}>[^/]+)`);
  return new RegExp(`^${source}$`);
}

/**
 * Apply the rules that match the URL to the headers, in file order, as Cloudflare does: a rule's removals first,
 * then its values; the first rule to set a name replaces the default, later ones append to it. `:splat` and
 * `:name` in a value become what the path matched. Exported for tests.
 * @param {HeaderRule[]} rules @param {string} url @param {Headers} headers
 */
export function applyHeaderRules(rules, url, headers) {
  const { hostname, pathname } = new URL(url);
  const seen = new Set();
  for (const rule of rules) {
    const match = rule.regex.exec(rule.path.startsWith('https://') ? `https://${hostname}${pathname}` : pathname);
    if (!match) continue;
    for (const name of rule.unset) headers.delete(name);
    for (const [name, template] of Object.entries(rule.set)) {
      let value = template;
      for (const [key, part] of Object.entries(match.groups ?? {})) value = value.replaceAll(`:${key}`, part ?? '');
      if (seen.has(name)) headers.append(name, value);
      else headers.set(name, value);
      seen.add(name);
    }
  }
}

/** @type {{ at: number, rules: Promise<HeaderRule[]> } | null} */
let cachedRules = null;
/**
 * The assets' `_headers` rules, read again at most once a second, so a rebuild of the site shows without a restart.
 * @param {Fetcher} dist
 */
function headerRules(dist) {
  if (cachedRules && Date.now() - cachedRules.at < 1000) return cachedRules.rules;
  const rules = dist.fetch('http://dist/_headers').then(async (res) => (res.ok ? parseHeaders(await res.text()).rules : []));
  cachedRules = { at: Date.now(), rules };
  return rules;
}

/**
 * Cloudflare's route patterns: `*` matches anything (slashes too), a leading `!` excludes. Exported for tests.
 * @param {string[]} patterns
 * @returns {(pathname: string) => boolean}
 */
export function routeMatcher(patterns) {
  const regex = (/** @type {string} */ p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  const include = patterns.filter((p) => !p.startsWith('!')).map(regex);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => regex(p.slice(1)));
  return (pathname) => include.some((r) => r.test(pathname)) && !exclude.some((r) => r.test(pathname));
}

/**
 * The asset for a GET or HEAD, a redirect to its canonical path, or null when there is none.
 * @param {Request} request @param {Fetcher} dist
 */
async function serveAsset(request, dist) {
  const url = new URL(request.url);
  let path;
  try {
    path = decodeURIComponent(url.pathname).replace(/\/{2,}/g, '/');
  } catch {
    return null; // malformed escapes: not an asset
  }
  if (CONFIG_FILES.has(path)) return null;
  const found = await resolveAsset(path, (p) => isFile(dist, p));
  if (!found) return null;
  if ('redirect' in found) return redirect(found.redirect, url.search);
  if (encodeURI(path) !== url.pathname) return redirect(path, url.search);

  const file = await dist.fetch(`http://dist${encodeURI(found.file)}`, { method: request.method });
  if (!file.ok) return null;
  // Cloudflare's ETag is a content hash; size and modification time serve the same purpose here.
  const etag = `"${file.headers.get('content-length')}-${Date.parse(file.headers.get('last-modified') ?? '') || 0}"`;
  const headers = new Headers(file.headers); // Content-Length, Last-Modified
  headers.set('content-type', contentType(found.file));
  headers.set('cache-control', 'public, max-age=0, must-revalidate');
  headers.set('etag', etag);
  if (request.headers.get('if-none-match') === etag) {
    headers.delete('content-length');
    return new Response(null, { status: 304, headers });
  }
  return new Response(file.body, { headers });
}

/** @param {string} to @param {string} search */
const redirect = (to, search) => new Response(null, { status: 307, headers: { location: encodeURI(to) + search } });

/** @param {Fetcher} dist @param {string} path */
async function isFile(dist, path) {
  if (path.endsWith('/')) return false; // the disk service would serve `/a.svg/` as `/a.svg`
  const res = await dist.fetch(`http://dist${encodeURI(path)}`, { method: 'HEAD' });
  // A directory answers with a JSON listing; a file as application/octet-stream.
  return res.ok && res.headers.get('content-type') !== 'application/json';
}

/**
 * Cloudflare's "auto-trailing-slash" html_handling (workers-sdk asset-worker, htmlHandlingAutoTrailingSlash):
 * `/a` serves a.html, `/a/` serves a/index.html, and the other spellings of either redirect to it (307). A redirect
 * is only made to a path that itself resolves, without redirects, to the same file. Exported for tests.
 * @param {string} path decoded, starting with `/`
 * @param {(path: string) => Promise<boolean>} exists
 * @param {boolean} [noRedirects]
 * @returns {Promise<Intent | null>}
 */
export async function resolveAsset(path, exists, noRedirects = false) {
  const serve = async (/** @type {string} */ file) => ((await exists(file)) ? { file } : null);
  const redirectTo = async (/** @type {string} */ file, /** @type {string} */ to) => {
    if (noRedirects || (await exists(to))) return null;
    const target = await resolveAsset(to, exists, true);
    return target && 'file' in target && target.file === file ? { redirect: to } : null;
  };
  const exact = await exists(path);
  let found = null;
  if (path.endsWith('/index')) {
    if (exact) return { file: path };
    const base = path.slice(0, -'/index'.length);
    found = (await redirectTo(`${path}.html`, `${base}/`)) ?? (await redirectTo(`${base}.html`, base));
  } else if (path.endsWith('/index.html')) {
    const base = path.slice(0, -'/index.html'.length);
    found = (await redirectTo(path, `${base}/`)) ?? (await redirectTo(`${base}.html`, base));
  } else if (path === '/') {
    found = await serve('/index.html');
  } else if (path.endsWith('.html')) {
    const base = path.slice(0, -'.html'.length);
    found = (await redirectTo(path, base)) ?? (await redirectTo(`${base}/index.html`, `${base}/`));
  } else if (path.endsWith('/')) {
    const base = path.slice(0, -1);
    found = (await serve(`${path}index.html`)) ?? (await redirectTo(`${base}.html`, base));
  } else {
    found = (await serve(`${path}.html`)) ?? (await redirectTo(`${path}/index.html`, `${path}/`));
  }
  return found ?? (exact ? { file: path } : null);
}

/** Content types as Cloudflare sets them (the `mime` package's, text/* with a UTF-8 charset). */
const TYPES = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml',
  json: 'application/json',
  map: 'application/json',
  webmanifest: 'application/manifest+json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  pdf: 'application/pdf',
};

/** @param {string} file */
export function contentType(file) {
  const ext = /** @type {keyof typeof TYPES} */ (file.slice(file.lastIndexOf('.') + 1).toLowerCase());
  return TYPES[ext] ?? 'application/octet-stream';
}
