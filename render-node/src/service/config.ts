/**
 * The render node's configuration: environment variables, parsed once at start by one schema. A missing or
 * malformed value stops the start with a message that names it. The schema is exported so the Docker Compose
 * file's environment can be checked against it in a test.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { RenderCapacity, RenderNodeName, ScreenId, StreamKey } from '@stream-fighter/core';
import { DEFAULT_CHROMIUM_PATH } from '../browser/chromium.ts';

const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export const RESOLUTIONS = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;
export const DEFAULT_BITRATE = { '720p': '3000k', '1080p': '6000k' } as const;

const httpUrl = (name: string) => z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` });
/** `true`/`false` (also 1/0, yes/no), as a person writes it in an env file; z.coerce.boolean would read "false" as true. */
const flag = (name: string) =>
  z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` }))
    .transform((s) => s === 'true' || s === '1' || s === 'yes');
/** Comma-separated http(s) origins (a path after one is ignored): the pages the browser renderer may load. */
const Origins = z
  .string()
  .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(httpUrl('BROWSER_URL_ALLOW entries').transform((u) => new URL(u).origin)));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * `fight:key1,bars:key2` → entries; every part checked with the protocol's own ScreenId and StreamKey. A screen
 * here is drawn with its defaults (core/src/screen.ts) in this node's LANG and RESOLUTION: there is no room to ask.
 */
const StaticStreams = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(
    z.array(
      z
        .string()
        .transform((p) => {
          const i = p.indexOf(':');
          return i < 0 ? { screenId: 'fight', streamKey: p } : { screenId: p.slice(0, i), streamKey: p.slice(i + 1) };
        })
        .pipe(z.object({ screenId: ScreenId, streamKey: StreamKey })),
    ),
  )
  .refine((list) => new Set(list.map((s) => s.streamKey)).size === list.length, 'STATIC_STREAMS lists a stream key twice');

/**
 * LANG is also the system locale variable: accept `es`, `es_ES.UTF-8`, `en-US`; `C` and `POSIX` mean English.
 * Any other language is an error rather than a silent English stream.
 */
const Lang = z
  .string()
  .transform((s) => (/^(C|POSIX)(\..*)?$/.test(s) ? 'en' : s.slice(0, 2).toLowerCase()))
  .pipe(z.enum(['en', 'es'], { error: 'LANG must be en or es (or a locale such as es_ES.UTF-8)' }));

/** The host name as a node name the room accepts (RenderNodeName): other characters become '-', at most 64. */
export function defaultNodeName(host = hostname()): string {
  return host.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'render-node';
}

export const RenderEnv = z.object({
  EDGE_URL: httpUrl('EDGE_URL').default('http://127.0.0.1:8787'),
  ROOM: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ROOM may use A-Z a-z 0-9 _ - only').default('main'),
  RENDERER_TOKEN: z.string({ error: 'RENDERER_TOKEN is required' }).min(16, 'RENDERER_TOKEN must be at least 16 characters'),
  /**
   * The RTMP app streams are published to; the encoder appends `/<stream key>`. Restreamer's token goes in the
   * query (`rtmp://restreamer:1935/live?token=…`): the key must go before it, see render-node/README.md.
   */
  RTMP_URL: z.string().regex(/^rtmps?:\/\/[^/\s]+/, 'RTMP_URL must be an rtmp:// or rtmps:// URL').default('rtmp://127.0.0.1:1935/live'),
  RESOLUTION: z.enum(['720p', '1080p'], { error: 'RESOLUTION must be 720p or 1080p' }).default('720p'),
  FPS: int(10, 60).default(30),
  VIDEO_BITRATE: z.string().regex(/^\d{3,6}k$/, 'VIDEO_BITRATE must look like 3000k').optional(),
  X264_PRESET: z.enum(X264_PRESETS).default('ultrafast'),
  AUDIO: z.enum(['music', 'bed'], { error: 'AUDIO must be music or bed' }).default('bed'),
  AUDIO_LOUDNESS_LUFS: z.coerce.number({ error: 'AUDIO_LOUDNESS_LUFS must be a number (LUFS)' }).min(-30).max(-10).default(-16),
  FFMPEG_PATH: z.string().min(1).optional(),
  HTTP_PORT: int(0, 65_535).default(8790),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  LANG: Lang.default('en'),
  VOTE_URL: httpUrl('VOTE_URL').optional(),
  STATIC_STREAMS: StaticStreams.optional(),
  STALL_TIMEOUT_MS: int(1_000, 600_000).optional(),
  /** /health answers 503 once a desired stream has not been live for this long (s), so Docker's HEALTHCHECK sees it. */
  HEALTH_NOT_LIVE_SEC: int(1, 86_400).default(30),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** How many room streams this node offers to run at once; the room spreads streams over nodes by it. */
  RENDER_CAPACITY: RenderCapacity.default(2),
  /** This node's name on the dashboard (which node runs which stream). */
  RENDER_NODE_NAME: RenderNodeName.default(defaultNodeName()),
  /**
   * The seed's switch: false makes a web page (BROWSER_URL, drawn by Chromium) what a screen shows unless the screen
   * says otherwise (`renderer` in core/src/screen.ts). True (the default) keeps the canvas scene.
   */
  USE_CANVAS_RENDERER: flag('USE_CANVAS_RENDERER').default(true),
  /**
   * The page streamed by browser screens that name none (and by every screen when USE_CANVAS_RENDERER=false). By
   * default the site's /scene (web/src/pages/scene.astro): the stream's own scene drawn by the browser, in this
   * node's LANG and ROOM (browserSceneUrl).
   */
  BROWSER_URL: httpUrl('BROWSER_URL').optional(),
  /**
   * Origins a browser screen's page may come from besides the edge's and the vote site's (comma-separated). The
   * edge refuses other URLs when a screen is saved; this node refuses to load them too, whatever the room sends.
   */
  BROWSER_URL_ALLOW: Origins.optional(),
  /** The Chromium the browser renderer drives (src/browser/chromium.ts); Debian's package by default. */
  CHROMIUM_PATH: z.string().min(1).default(DEFAULT_CHROMIUM_PATH),
});
export type RenderEnv = z.infer<typeof RenderEnv>;

export type Config = Omit<RenderEnv, 'VIDEO_BITRATE' | 'VOTE_URL' | 'STATIC_STREAMS' | 'BROWSER_URL_ALLOW'> & {
  VIDEO_BITRATE: string;
  VOTE_URL: string;
  /** The origins browser screens may load: the edge's, the vote site's, and BROWSER_URL_ALLOW's. */
  BROWSER_URL_ALLOW: string[];
  STATIC_STREAMS: Array<{ screenId: ScreenId; streamKey: string }>;
  width: number;
  height: number;
};

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parse the environment. Blank values count as unset, so `FOO=` in an env file falls back to the default. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(RenderEnv.shape);
  const input = Object.fromEntries(known.flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])));
  const parsed = RenderEnv.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const voteUrl = e.VOTE_URL ?? new URL('/', e.EDGE_URL).href;
  const allow = [...new Set([new URL(e.EDGE_URL).origin, new URL(voteUrl).origin, ...(e.BROWSER_URL_ALLOW ?? [])])];
  // BROWSER_URL is the operator's own setting: its origin is allowed by naming it.
  if (e.BROWSER_URL && !allow.includes(new URL(e.BROWSER_URL).origin)) allow.push(new URL(e.BROWSER_URL).origin);
  return {
    ...e,
    BROWSER_URL: e.BROWSER_URL ?? browserSceneUrl(voteUrl, e.ROOM, e.LANG, e.FPS),
    ...RESOLUTIONS[e.RESOLUTION],
    VIDEO_BITRATE: e.VIDEO_BITRATE ?? DEFAULT_BITRATE[e.RESOLUTION],
    // The vote site lives at the edge's origin unless told otherwise; the QR code on the stream points there.
    VOTE_URL: voteUrl,
    STATIC_STREAMS: e.STATIC_STREAMS ?? [],
    BROWSER_URL_ALLOW: allow,
  };
}

/**
 * A screen's page as this node opens it: the vote site's own /scene is told this node's FPS when that is not 30 and
 * its address does not say (the dashboard makes /scene addresses without knowing which node will stream them, and
 * the page draws 30 frames a second unless told). Any other page is opened as written.
 */
export function withSceneFps(pageUrl: string, voteUrl: string, fps: number): string {
  if (fps === 30 || !URL.canParse(pageUrl)) return pageUrl;
  const url = new URL(pageUrl);
  if (url.origin !== new URL(voteUrl).origin || url.pathname !== '/scene' || url.searchParams.has('fps')) return pageUrl;
  // Appended, so the rest of the address stays as written (searchParams.set would re-encode it all).
  url.search = `${url.search ? `${url.search}&` : '?'}fps=${fps}`;
  return url.href;
}

/** The site's /scene page (on the vote site's origin) for this node's room and language: BROWSER_URL's default. */
export function browserSceneUrl(voteUrl: string, room: string, lang: RenderEnv['LANG'], fps = 30): string {
  const url = new URL('/scene', voteUrl);
  // The page draws 30 frames a second unless told (web/src/scripts/scene-params.ts): told only when FPS differs.
  url.search = new URLSearchParams({ lang, ...(room === 'main' ? {} : { room }), ...(fps === 30 ? {} : { fps: String(fps) }) }).toString();
  return url.href;
}
