/**
 * What a screen can be set to (schemas in screen.ts). No zod here: the dashboard's script imports these to build
 * its form, and the browser bundle stays without zod.
 */

/** The scenes a renderer can draw. `fight` switches to bars by itself for a plain poll (3-4 options). */
export const SCREEN_SCENES = ['fight', 'bars'] as const;
/** The languages the stream's words come in: view/src/languages.ts LANGS (view/src/screen-langs.test.ts pins it). */
export const SCREEN_LANGS = ['en', 'es'] as const;
export const SCREEN_RESOLUTIONS = ['720p', '1080p'] as const;
/** What can be shown around the action. `chat`: the feed of the latest chat voters (the snapshot's `chatFeed`). */
export const SCREEN_PARTS = ['qr', 'ticker', 'shoutouts', 'chat'] as const;
/**
 * How a screen is drawn (screen.ts ScreenRenderer): `canvas`, the render node's own scene; `browser`, a web page
 * drawn by Chromium.
 */
export const SCREEN_RENDERERS = ['canvas', 'browser'] as const;
/** The screens every room starts with, and which it will not delete (a stream or STATIC_STREAMS may name them). */
export const BUILT_IN_SCREENS = ['fight', 'bars'] as const;
/** The room keeps at most this many screens (the two built-in ones included). */
export const SCREENS_MAX = 32;
/** A screen id, as the schema (screen.ts ScreenId) checks it; for the dashboard's input pattern. */
export const SCREEN_ID_PATTERN = '[a-z0-9][a-z0-9\\-]{0,31}';
