/**
 * Screens: what a stream shows, kept by the room and managed by the operator (`/api/screens`). A stream names a
 * screen by id; the room sends renderers each stream with its screen resolved, so one message says everything a
 * renderer needs. `fight` and `bars` always exist (the room seeds them and refuses to delete them).
 */
import { z } from 'zod';
// The choices, zod-free so the dashboard's script imports them without zod.
import { BUILT_IN_SCREENS, SCREEN_ID_PATTERN, SCREEN_LANGS, SCREEN_PARTS, SCREEN_RENDERERS, SCREEN_RESOLUTIONS, SCREEN_SCENES } from './screen-options.ts';

export * from './screen-options.ts';

/** A screen's id: a lower-case slug, so it reads well in logs and URLs (`/api/screens/<id>`). */
export const ScreenId = z.string().regex(new RegExp(`^${SCREEN_ID_PATTERN}$`), 'screen id must be 1-32 of a-z 0-9 - (not starting with -)');
export type ScreenId = z.infer<typeof ScreenId>;

const showShape = Object.fromEntries(SCREEN_PARTS.map((p) => [p, z.boolean()])) as Record<(typeof SCREEN_PARTS)[number], z.ZodBoolean>;
export const ScreenShow = z.strictObject(showShape);
export type ScreenShow = z.infer<typeof ScreenShow>;

/**
 * How a screen is drawn: `canvas`, the render node's own scene; `browser`, the web page at the screen's `url`, drawn
 * by Chromium (render-node/src/browser). A screen without one is drawn as its render node is set up to draw
 * (USE_CANVAS_RENDERER: canvas unless that says false), so screens saved before this field mean what they meant.
 */
export const ScreenRenderer = z.enum(SCREEN_RENDERERS);
export type ScreenRenderer = z.infer<typeof ScreenRenderer>;

/**
 * The page a browser screen streams. Which origins are allowed is not the schema's to say: the edge checks it when
 * the screen is saved (edge/src/routes/screens.ts), and the render node again before it loads anything.
 */
export const ScreenUrl = z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2048, 'url must be at most 2048 characters');

export const Screen = z.strictObject({
  id: ScreenId,
  scene: z.enum(SCREEN_SCENES),
  lang: z.enum(SCREEN_LANGS),
  resolution: z.enum(SCREEN_RESOLUTIONS),
  show: ScreenShow,
  renderer: ScreenRenderer.optional(),
  url: ScreenUrl.optional(),
});
export type Screen = z.infer<typeof Screen>;

export const SHOW_ALL: ScreenShow = { qr: true, ticker: true, shoutouts: true, chat: true };

/**
 * A screen nobody configured: the fight scene (or `bars` for the screen of that name), at 720p, showing everything,
 * in `lang` (English unless told: the room passes the language its matchups are written in, STREAM_LANG).
 */
export function defaultScreen(id: ScreenId, lang: Screen['lang'] = 'en'): Screen {
  return { id, scene: id === 'bars' ? 'bars' : 'fight', lang, resolution: '720p', show: { ...SHOW_ALL } };
}

export const DEFAULT_SCREENS: readonly Screen[] = BUILT_IN_SCREENS.map((id) => defaultScreen(id));

/**
 * A change to a screen (`PUT /api/screens/<id>`): the fields it names replace the screen's, the rest stay; `show`
 * merges part by part. An empty object changes nothing.
 */
export const ScreenUpdate = z.strictObject({
  scene: Screen.shape.scene.optional(),
  lang: Screen.shape.lang.optional(),
  resolution: Screen.shape.resolution.optional(),
  show: ScreenShow.partial().optional(),
  renderer: ScreenRenderer.optional(),
  url: ScreenUrl.optional(),
});
export type ScreenUpdate = z.infer<typeof ScreenUpdate>;

/** A new screen (`POST /api/screens`): an id, and whatever differs from `defaultScreen(id)`. */
export const ScreenCreate = ScreenUpdate.extend({ id: ScreenId });
export type ScreenCreate = z.infer<typeof ScreenCreate>;

/** `base` with `change` applied. */
export function applyScreenUpdate(base: Screen, change: ScreenUpdate): Screen {
  const renderer = change.renderer ?? base.renderer;
  const url = change.url ?? base.url;
  return {
    id: base.id,
    scene: change.scene ?? base.scene,
    lang: change.lang ?? base.lang,
    resolution: change.resolution ?? base.resolution,
    show: { ...base.show, ...stripUndefined(change.show ?? {}) },
    ...(renderer ? { renderer } : {}),
    ...(url ? { url } : {}),
  };
}

/** Why `screen` cannot be shown as it is, or null: a browser screen needs the page it streams. */
export function screenProblem(screen: Screen): string | null {
  return screen.renderer === 'browser' && !screen.url ? `screen ${screen.id} uses the browser renderer: give it a url` : null;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
