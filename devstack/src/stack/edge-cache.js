// @ts-check
/**
 * The Cache API (`caches.default`, `caches.open`) for the local edge in plain workerd, which has no cache of its
 * own: the generated config points the Worker's `cacheApiOutbound` at this small worker (edge-workerd.ts), and
 * workerd turns every cache call into an HTTP request to it, as Miniflare's cache service receives them:
 * - match:  GET <key URL>; answer the stored response with `CF-Cache-Status: HIT` (and its `Age`), or any
 *           response with `CF-Cache-Status: MISS`;
 * - put:    PUT <key URL>, the body the whole response serialised as HTTP/1.1 (status line, headers, body);
 *           204 when stored, 413 when it may not be (no-store, private, Set-Cookie, no lifetime);
 * - delete: PURGE <key URL>; 200 when it was there, 404 when not.
 * A named cache adds a `CF-Cache-Namespace` header. Entries live in this isolate's memory: a restart empties the
 * cache, as a new deployment would. Plain JavaScript: workerd loads this file as it is.
 */

// Not exported: workerd takes every export of this module for an entrypoint, and a number is not one.
/** Cloudflare's Cache API keeps objects up to 512 MB; a local cache of JSON answers needs far less. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/** @typedef {{ status: number, headers: Array<[string, string]>, body: Uint8Array, storedAt: number, expiresAt: number }} Entry */

/** @type {Map<string, Entry>} insertion order is age order, for eviction */
const entries = new Map();
let totalBytes = 0;

/** @param {Request} request */
const keyOf = (request) => `${request.headers.get('cf-cache-namespace') ?? ''} ${request.url}`;

export const cache = {
  /** @param {Request} request */
  async fetch(request) {
    const key = keyOf(request);
    if (request.method === 'GET') return match(key);
    if (request.method === 'PUT') return put(key, new Uint8Array(await request.arrayBuffer()));
    if (request.method === 'PURGE') return new Response(null, { status: remove(key) ? 200 : 404 });
    return new Response(null, { status: 405 });
  },
};

/** @param {string} key */
function match(key) {
  const entry = entries.get(key);
  const now = Date.now();
  if (!entry || entry.expiresAt <= now) {
    if (entry) remove(key);
    return new Response(null, { status: 504, headers: { 'cf-cache-status': 'MISS' } });
  }
  const headers = new Headers(entry.headers);
  headers.set('cf-cache-status', 'HIT');
  headers.set('age', String(Math.floor((now - entry.storedAt) / 1000)));
  return new Response(entry.body, { status: entry.status, headers });
}

/** @param {string} key @param {Uint8Array} serialised */
function put(key, serialised) {
  const parsed = parseHttpResponse(serialised);
  if (!parsed || parsed.body.byteLength > MAX_ENTRY_BYTES) return new Response(null, { status: 413 });
  const ttlMs = lifetimeMs(parsed.headers);
  if (ttlMs <= 0 || parsed.status === 206) return new Response(null, { status: 413 });
  remove(key);
  const now = Date.now();
  entries.set(key, { ...parsed, storedAt: now, expiresAt: now + ttlMs });
  totalBytes += parsed.body.byteLength;
  for (const [oldest] of entries) {
    if (totalBytes <= MAX_TOTAL_BYTES) break;
    remove(oldest);
  }
  return new Response(null, { status: 204 });
}

/** @param {string} key */
function remove(key) {
  const entry = entries.get(key);
  if (!entry) return false;
  totalBytes -= entry.body.byteLength;
  entries.delete(key);
  return true;
}

/**
 * How long a shared cache may keep this response (s-maxage, else max-age, else Expires), in ms; 0 when it may
 * not be stored at all. Exported for tests.
 * @param {Array<[string, string]>} headers
 */
export function lifetimeMs(headers) {
  const get = (/** @type {string} */ name) => headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
  if (get('set-cookie') !== null) return 0;
  /** @type {Map<string, string>} */
  const cc = new Map();
  for (const part of (get('cache-control') ?? '').split(',')) {
    const [k, v] = part.split('=', 2);
    if (k?.trim()) cc.set(k.trim().toLowerCase(), (v ?? '').trim().replace(/^"|"$/g, ''));
  }
  if (cc.has('no-store') || cc.has('private') || cc.has('no-cache')) return 0;
  const seconds = cc.get('s-maxage') ?? cc.get('max-age');
  if (seconds !== undefined) return /^\d+$/.test(seconds) ? Number(seconds) * 1000 : 0;
  const expires = Date.parse(get('expires') ?? '');
  return Number.isNaN(expires) ? 0 : Math.max(0, expires - Date.now());
}

/**
 * `HTTP/1.1 200 OK`, header lines, an empty line, the body. Exported for tests.
 * @param {Uint8Array} bytes
 * @returns {{ status: number, headers: Array<[string, string]>, body: Uint8Array } | null}
 */
export function parseHttpResponse(bytes) {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const [statusLine = '', ...lines] = new TextDecoder().decode(bytes.subarray(0, end)).split('\r\n');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(statusLine);
  if (!status) return null;
  /** @type {Array<[string, string]>} */
  const headers = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(status[1]), headers, body: bytes.slice(end + 4) };
}
