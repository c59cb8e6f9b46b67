/**
 * The fuzz suite's requests: every route the Worker answers (edge/src/app.ts, routes/*, index.ts: /api/*, the
 * vote page `/`, the room's HTTP face /parties/arena/<room>), with hostile bodies, headers, tokens, cursors and
 * methods. Drawn from one seed, so a run can be replayed. None may change state: a request that could be valid
 * carries a credential that cannot be (a forged session, a wrong operator token), and the operator's own token
 * only ever comes with bodies its routes refuse, or on reads.
 */
import fc from 'fast-check';
import { ChatSourceId, ScreenId } from '@stream-fighter/core';
import { chatBridgeBody, chatPauseBody, generateBody, pauseForBadSource, oversized, queueBody, screenCreateBody, screenUpdateBody, shoutoutBody, streamBody, unparseable, voteBody, type Body } from './bodies.ts';
import { badCursor, badVoterToken, contentType, hostileString, percentEncode, urlPiece } from './values.ts';

export interface FuzzRequest {
  /** The generator that made it: route and flavour, for the summary and for reading a failure. */
  kind: string;
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  /** Sent as a stream of this many chunks, with no length (chunked on the wire); 0 sends it whole. */
  chunks: number;
}

export interface FuzzContext {
  /** The stack's operator token, or null to send none that works. */
  operatorToken: string | null;
  /** Unix seconds that forged voter tokens claim as their issue time, so they reach the signature check. */
  nowSec: number;
  room: string;
  /** The vote page needs the built site (the workers test pool has none). */
  sitePage: boolean;
}

type Headers = Array<[string, string]>;
const enc = new TextEncoder();

/** What fetch lets through as a header value: visible ASCII and Latin-1, no CR, LF or NUL, trimmed. */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\xa0-\xff]/g, '').trim();

const SITE = 'http://127.0.0.1:8787';
const noiseHeader = (ctx: FuzzContext): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    fc.constantFrom<[string, string]>(
      ['origin', 'https://evil.example'],
      ['origin', 'null'],
      ['origin', SITE],
      ['sec-fetch-site', 'cross-site'],
      ['sec-fetch-site', 'same-origin'],
      ['accept', 'text/html'],
      ['accept', '*/*;q=abc'],
      ['accept-language', 'es;q=2, *;q=-1, ;;;'],
      ['accept-language', 'x'.repeat(2_000)],
      ['content-encoding', 'gzip'],
      ['x-forwarded-for', '1.1.1.1, 2.2.2.2'],
      ['cf-connecting-ip', '::ffff:127.0.0.1'],
      ['cf-connecting-ip', '2001:db8::1'],
      ['cf-connecting-ip', 'not-an-ip'],
      ['cf-connecting-ip', '999.999.999.999'],
      ['cf-turnstile-response', 'x'.repeat(3_000)],
      ['cookie', `sf_lang=${'z'.repeat(4_000)}`],
      ['cookie', 'sf_voter="; sf_voter=; ;;=;'],
      ['range', 'bytes=0-1'],
      ['if-none-match', '*'],
      ['x-http-method-override', 'DELETE'],
    ),
    fc.tuple(fc.constantFrom('cf-connecting-ip', 'x-real-ip', 'accept-language', 'cookie', 'user-agent', 'x-voter-token', 'origin', 'referer'), hostileString).map(([k, v]): [string, string] => [k, headerSafe(v)]),
    badVoterToken(ctx.nowSec).map((t): [string, string] => ['cookie', `sf_voter=${headerSafe(t)}`]),
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), hostileString).map(([k, v]): [string, string] => [`x-${k}`, headerSafe(v)]),
  );
const noise = (ctx: FuzzContext) => fc.array(noiseHeader(ctx), { maxLength: 3 });

/** Operator credentials that must fail: none, another token, the real one altered, other schemes. */
const badAuth = (ctx: FuzzContext): fc.Arbitrary<Headers> =>
  fc.oneof(
    fc.constant<Headers>([]),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer null', `Bearer ${'a'.repeat(10_000)}`, 'Token x', 'Bearer wrong-token-wrong-token').map((v): Headers => [['authorization', v]]),
    hostileString.map((s): Headers => [['authorization', headerSafe(`Bearer ${s}`)]]),
    ...(ctx.operatorToken
      ? [
          fc.constantFrom(
            `Bearer ${ctx.operatorToken}x`,
            `Bearer ${ctx.operatorToken.slice(0, -1)}`,
            `Bearer  ${ctx.operatorToken}`,
            `Basic ${ctx.operatorToken}`,
            ctx.operatorToken,
            `Bearer ${ctx.operatorToken.toUpperCase() === ctx.operatorToken ? ctx.operatorToken.toLowerCase() : ctx.operatorToken.toUpperCase()}`,
          ).map((v): Headers => [['authorization', v]]),
        ]
      : []),
  );

const goodAuth = (ctx: FuzzContext): Headers => (ctx.operatorToken ? [['authorization', `Bearer ${ctx.operatorToken}`]] : []);

/** A voter session that cannot verify, in the header, the cookie or both. */
const badSession = (ctx: FuzzContext): fc.Arbitrary<Headers> =>
  fc.tuple(badVoterToken(ctx.nowSec).map(headerSafe), fc.constantFrom('header', 'cookie', 'both')).map(([t, where]) => {
    // An empty value would be no token at all: the request would mint a session.
    const token = t === '' ? 'v1.bad' : t;
    const h: Headers = [];
    if (where !== 'cookie') h.push(['x-voter-token', token]);
    if (where !== 'header') h.push(['cookie', `sf_voter=${token.replace(/[;,\s]/g, '') || 'bad'}`]);
    return h;
  });

const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom('cursor', 'limit', 'lang', 'error', 'voted', 'role', 'token', '_pk', 'streamKey', '__proto__'), urlPiece), urlPiece), { maxLength: 3 });
const withQuery = (path: string) => query.map((q) => (q.length ? `${path}?${q.map(([k, v]) => `${k}=${v}`).join('&')}` : path));

function request(kind: string, method: string, path: string, headers: Headers, given: Body | null, type: string | null, chunks: number): FuzzRequest {
  // fetch refuses a GET or HEAD with a body.
  const body = ['GET', 'HEAD'].includes(method.toUpperCase()) ? null : given;
  const h: Headers = [...headers];
  if (body && type === null) h.push(['content-type', body.form ? 'application/x-www-form-urlencoded' : 'application/json']);
  else if (type) h.push(['content-type', type]);
  return { kind: body ? `${kind} ${body.flavour}` : kind, method, path, headers: h, body: body?.bytes ?? null, chunks: body ? chunks : 0 };
}

/** How a body travels: whole, or as a stream of chunks with no length. */
const chunking = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }) });
/** The content type: usually the one that matches the body (null), sometimes any. */
const typeFor = fc.oneof({ weight: 3, arbitrary: fc.constant<string | null>(null) }, { weight: 1, arbitrary: contentType.map((t) => t ?? '') });

/** What the operator's token reads (GET): safe with any query. */
const OPERATOR_READS = ['/api/poll/queue', '/api/stream', '/api/shoutouts', '/api/shoutouts/settings', '/api/screens', '/api/chat/sources'];

const PUBLIC_READS = ['/api/health', '/api/poll', '/api/polls', '/api/leaderboard', '/api/openapi.json', '/api/challenge'];

function publicReads(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      fc.constantFrom('GET', 'GET', 'HEAD'),
      fc.oneof(fc.constantFrom(...PUBLIC_READS).chain(withQuery), urlPiece.map((p) => `/api/polls/${p}`)),
      fc.oneof(badSession(ctx), fc.constant<Headers>([])),
      noise(ctx),
    )
    .map(([method, path, session, more]) => request(`read ${path.split('?')[0]!.replace(/\/api\/polls\/.+/, '/api/polls/:id')}`, method, path, [...session, ...more], null, null, 0));
}

function cursors(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(badCursor, fc.oneof(fc.constant(''), urlPiece.map((l) => `&limit=${l}`), fc.constantFrom('&limit=0', '&limit=51', '&limit=1e3', '&limit=-1')), noise(ctx))
    .map(([cursor, limit, more]) => request('read /api/polls?cursor', 'GET', `/api/polls?cursor=${cursor}${limit}`, more, null, null, 0));
}

function votes(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(voteBody, badSession(ctx), fc.boolean(), noise(ctx), typeFor, chunking, fc.boolean())
    .map(([body, session, withSession, more, type, chunks, html]) => {
      // A body the schema might take only ever goes with a session that cannot verify, and with no other header
      // that could stand for one (an empty cookie might read as no session, and mint one).
      const creds = !body.invalid || withSession ? session : [];
      const extra = body.invalid ? more : more.filter(([k]) => !['cookie', 'x-voter-token', 'authorization'].includes(k));
      const accept: Headers = html ? [['accept', 'text/html']] : [];
      return request('POST /api/vote', 'POST', '/api/vote', [...creds, ...accept, ...extra], body, type, chunks);
    });
}

function shoutouts(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(shoutoutBody, fc.oneof(badSession(ctx), fc.constant<Headers>([])), noise(ctx), typeFor, chunking)
    .map(([body, session, more, type, chunks]) => request('POST /api/shoutout', 'POST', '/api/shoutout', [...session, ...more], body, type, chunks));
}

/** A path as its route: no query, ids as `:id`. */
const routeOf = (path: string) => path.split('?')[0]!.replace(/\/(?:[0-9a-f]{8}-[0-9a-f-]{27}|A{16}|1)(?=\/|$)/g, '/:id');

const OPERATOR_ROUTES: Array<[string, string]> = [
  ['POST', '/api/poll/generate'],
  ['POST', '/api/poll/rotate'],
  ['GET', '/api/poll/queue'],
  ['POST', '/api/poll/queue'],
  ['DELETE', '/api/poll/queue/1'],
  ['GET', '/api/stream'],
  ['POST', '/api/stream'],
  ['DELETE', '/api/stream?streamKey=main'],
  ['GET', '/api/shoutouts'],
  ['GET', '/api/shoutouts/settings'],
  ['POST', '/api/shoutouts/settings'],
  ['POST', '/api/shoutouts/00000000-0000-4000-8000-000000000000/approve'],
  ['POST', '/api/shoutouts/00000000-0000-4000-8000-000000000000/reject'],
  ['POST', '/api/shoutouts/00000000-0000-4000-8000-000000000000/hide'],
  ['POST', '/api/voters/AAAAAAAAAAAAAAAA/ban'],
  ['DELETE', '/api/voters/AAAAAAAAAAAAAAAA/ban'],
  ['DELETE', '/api/voters/AAAAAAAAAAAAAAAA'],
  ['GET', '/api/screens'],
  ['POST', '/api/screens'],
  ['GET', '/api/screens/fight'],
  ['PUT', '/api/screens/fight'],
  ['DELETE', '/api/screens/fuzz-absent-screen'],
  ['GET', '/api/chat/sources'],
  ['PUT', '/api/chat/sources/twitch:fuzz'],
];

/** The chat bridge's routes: the fuzz never holds BRIDGE_TOKEN, so every credential it sends must fail. */
const BRIDGE_ROUTES = ['/api/chat/votes', '/api/chat/status'];

/** Any body at all: with a wrong token the route refuses before it reads one. */
const anyBody: fc.Arbitrary<Body | null> = fc.oneof(fc.constant(null), voteBody, generateBody, queueBody, streamBody, chatBridgeBody, unparseable, oversized);

/** Operator routes with credentials that must fail: any method, path and body. */
function operatorUnauthorised(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(fc.constantFrom(...OPERATOR_ROUTES), badAuth(ctx), anyBody, noise(ctx), typeFor, chunking)
    .map(([[method, path], auth, body, more, type, chunks]) => request(`${method} ${routeOf(path)} (bad auth)`, method, path, [...auth, ...more], body, type, chunks));
}

/** The chat bridge's routes with credentials that must fail (variants of the operator's token among them), and bodies shaped as the bridge's. */
function bridgeUnauthorised(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(fc.constantFrom(...BRIDGE_ROUTES), badAuth(ctx), chatBridgeBody, noise(ctx), typeFor, chunking)
    .map(([path, auth, body, more, type, chunks]) => request(`POST ${path} (bad auth)`, 'POST', path, [...auth, ...more], body, type, chunks));
}

/** A queue id no matchup has: not a positive integer, or beyond any the queue will reach. */
const absentQueueId = fc.oneof(
  urlPiece.filter((p) => {
    const n = Number(decodeURIComponentSafe(p));
    return !(Number.isInteger(n) && n > 0 && n < 1e12);
  }),
  fc.integer({ min: 1e12, max: Number.MAX_SAFE_INTEGER }).map(String),
);
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
/** A screen id no screen has: not a slug, or one the fuzz never creates. */
const absentScreenId = fc.oneof(urlPiece.filter((p) => p !== '' && !p.includes('/') && !p.includes('%2F') && !ScreenId.safeParse(decodeURIComponentSafe(p)).success), fc.constant('fuzz-absent-screen'));
/** A path segment the route does not take as a chat source id. */
const badSourceId = urlPiece.filter((p) => p !== '' && !p.includes('/') && !p.includes('%2F') && !ChatSourceId.safeParse(decodeURIComponentSafe(p)).success);
/** Not a UUID, so no shout-out can have it. */
const notUuid = urlPiece.filter((p) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(decodeURIComponentSafe(p)) && p !== '' && !p.includes('%2F') && !p.includes('/'));

/** The real operator token, only on reads and with what the routes refuse. */
function operatorAuthorised(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const auth = goodAuth(ctx);
  const op = (kind: string, method: string, path: string, body: Body | null) =>
    fc.tuple(noise(ctx), typeFor, chunking).map(([more, type, chunks]) => request(`${kind} (operator)`, method, path, [...auth, ...more], body, type, chunks));
  return fc.oneof(
    fc.constantFrom(...OPERATOR_READS).chain((p) => withQuery(p).chain((path) => op(`GET ${p}`, 'GET', path, null))),
    generateBody.chain((b) => op('POST /api/poll/generate', 'POST', '/api/poll/generate', b)),
    queueBody.chain((b) => op('POST /api/poll/queue', 'POST', '/api/poll/queue', b)),
    streamBody.chain((b) => op('POST /api/stream', 'POST', '/api/stream', b)),
    absentQueueId.chain((id) => op('DELETE /api/poll/queue/:id', 'DELETE', `/api/poll/queue/${id}`, null)),
    fc.oneof(urlPiece.filter((k) => !/^[A-Za-z0-9_.-]+$/.test(decodeURIComponentSafe(k))), fc.constant('fuzz-absent-stream')).chain((k) =>
      op('DELETE /api/stream', 'DELETE', k === '' ? '/api/stream' : `/api/stream?streamKey=${k}`, null),
    ),
    fc.tuple(notUuid, fc.constantFrom('approve', 'reject', 'hide')).chain(([id, verb]) => op(`POST /api/shoutouts/:id/${verb}`, 'POST', `/api/shoutouts/${id}/${verb}`, null)),
    fc.oneof(urlPiece.filter((p) => p !== '' && !p.includes('/')), fc.constantFrom('fight', 'bars')).chain((id) => op('GET /api/screens/:id', 'GET', `/api/screens/${id}`, null)),
    screenCreateBody.chain((b) => op('POST /api/screens', 'POST', '/api/screens', b)),
    fc.tuple(fc.oneof(fc.constantFrom('fight', 'bars'), absentScreenId), screenUpdateBody).chain(([id, b]) => op('PUT /api/screens/:id', 'PUT', `/api/screens/${id}`, b)),
    // Deleting: built-in screens (refused) and ids no screen has, never one a stack may be showing.
    fc.oneof(fc.constantFrom('fight', 'bars'), absentScreenId).chain((id) => op('DELETE /api/screens/:id', 'DELETE', `/api/screens/${id}`, null)),
    fc.tuple(fc.constantFrom('twitch:fuzz', 'youtube:fuzz'), chatPauseBody).chain(([source, b]) => op('PUT /api/chat/sources/:source', 'PUT', `/api/chat/sources/${source}`, b)),
    badSourceId.chain((source) => op('PUT /api/chat/sources/:source', 'PUT', `/api/chat/sources/${source}`, pauseForBadSource)),
  );
}

/**
 * Methods a route does not take. Only ones the runtime parses: workerd answers a method it does not know (`FOO`)
 * with its own 501 before any Worker code runs, as Cloudflare's front end refuses one in production.
 */
const ODD_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'PURGE', 'MKCOL', 'SEARCH', 'get', 'POST'];
const ALL_PATHS = [...PUBLIC_READS, '/api/vote', '/api/shoutout', ...OPERATOR_ROUTES.map(([, p]) => p), ...BRIDGE_ROUTES, '/api', '/api/', '/api/polls/x', '/api/poll/'];

/** Routes called with methods they do not take (never with the operator's token). */
function oddMethods(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(fc.constantFrom(...ODD_METHODS), fc.constantFrom(...ALL_PATHS), fc.option(anyBody, { nil: null }), badSession(ctx), noise(ctx), fc.boolean())
    .filter(([method, path]) => !(method === 'POST' && (path === '/api/vote' || path === '/api/shoutout' || BRIDGE_ROUTES.includes(path))))
    .map(([method, path, body, session, more, preflight]) => {
      const h: Headers = [...session, ...more];
      if (method === 'OPTIONS' && preflight) h.push(['origin', SITE], ['access-control-request-method', 'POST'], ['access-control-request-headers', 'content-type, x-voter-token']);
      return request(`${method.toUpperCase()} ${routeOf(path)} (odd method)`, method, path, h, method === 'HEAD' || method === 'GET' || method === 'get' ? null : body, null, 0);
    });
}

/** Paths under /api that no route has. */
function unknownPaths(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(fc.constantFrom('GET', 'POST', 'DELETE'), fc.array(urlPiece, { minLength: 1, maxLength: 4 }), badAuth(ctx), noise(ctx))
    .map(([method, parts, auth, more]) => request(`${method} /api/<unknown>`, method, `/api/${parts.join('/')}`, [...auth, ...more], null, null, 0));
}

/** The vote page: hostile query strings and cookies (GET/HEAD), and methods it does not take (which reach the API). */
function sitePage(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  // An error code is shown cut to 40 UTF-16 units: an emoji across the cut leaves half a surrogate pair.
  const cut = fc.constantFrom('😀'.repeat(30), `${'x'.repeat(39)}😀`, `${'x'.repeat(39)}\u{1F94A}tail`).map((s) => percentEncode(enc.encode(s)));
  const flash = fc.tuple(fc.constantFrom('error', 'voted', 'lang'), fc.oneof(urlPiece, cut));
  const page = fc
    .tuple(fc.constantFrom('GET', 'HEAD'), fc.array(flash, { maxLength: 3 }), fc.oneof(badSession(ctx), fc.constant<Headers>([])), noise(ctx))
    .map(([method, q, session, more]) => {
      const qs = q.map(([k, v]) => `${k}=${v}`).join('&');
      return request(`${method} / (page)`, method, qs ? `/?${qs}` : '/', [...session, ...more], null, null, 0);
    });
  const other = fc
    .tuple(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'), fc.option(anyBody, { nil: null }), badSession(ctx))
    .map(([method, body, session]) => request(`${method} /`, method, '/', session, body, null, 0));
  return ctx.sitePage ? fc.oneof(page, other) : other;
}

/** The room's HTTP face, and room and party names that do not exist. */
function roomHttp(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const path = fc.oneof(
    withQuery(`/parties/arena/${ctx.room}`),
    fc.constantFrom(`/parties/arena/${ctx.room}?role=renderer&token=wrong`, `/parties/arena/${ctx.room}?role=operator`, `/parties/arena/${ctx.room}?_pk=viewer`, '/parties', '/parties/', '/parties/arena', '/parties/arena/'),
    urlPiece.map((r) => `/parties/arena/${r}`),
    fc.tuple(urlPiece, urlPiece).map(([p, r]) => `/parties/${p}/${r}`),
  );
  return fc
    .tuple(fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'), path, fc.option(anyBody, { nil: null }), noise(ctx))
    .map(([method, p, body, more]) => request(`${method} /parties (http)`, method, p, more, method === 'GET' || method === 'HEAD' ? null : body, null, 0));
}

/** Every route family, weighted towards the ones that read bodies. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const families = [
    { weight: 3, arbitrary: publicReads(ctx) },
    { weight: 2, arbitrary: cursors(ctx) },
    { weight: 5, arbitrary: votes(ctx) },
    { weight: 3, arbitrary: shoutouts(ctx) },
    { weight: 3, arbitrary: operatorUnauthorised(ctx) },
    { weight: 2, arbitrary: bridgeUnauthorised(ctx) },
    { weight: 2, arbitrary: oddMethods(ctx) },
    { weight: 1, arbitrary: unknownPaths(ctx) },
    { weight: 2, arbitrary: sitePage(ctx) },
    { weight: 2, arbitrary: roomHttp(ctx) },
  ];
  if (ctx.operatorToken) families.push({ weight: 5, arbitrary: operatorAuthorised(ctx) });
  return fc.oneof(...families);
}

/** `count` requests, the same for the same seed and context. */
export function sampleRequests(seed: number, count: number, ctx: FuzzContext): FuzzRequest[] {
  return fc.sample(fuzzRequest(ctx), { seed, numRuns: count });
}

/** The Request to send to `base` (chunked requests carry a stream, which has no length). */
export function toRequest(base: string, r: FuzzRequest): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: r.method, headers: r.headers };
  if (r.body && r.chunks > 0) {
    const bytes = r.body;
    const size = Math.max(1, Math.ceil(bytes.length / r.chunks));
    let at = 0;
    init.body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      },
    });
    init.duplex = 'half';
  } else if (r.body) {
    init.body = new Uint8Array(r.body);
  }
  return new Request(`${base}${r.path}`, init);
}
