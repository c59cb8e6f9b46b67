/**
 * What the OBS overlay (and the full-frame /scene) shows, carried in its address. A screen's `show` flags
 * (core/src/screen.ts) cannot be read by the page itself: it is a public page, and the screens are the operator's
 * (`/api/screens` needs the token). So the dashboard writes each screen's overlay link with `overlayPath` (and a
 * browser screen's /scene address with `scenePath`), and the page reads the parts back with `shownParts`:
 * `?show=qr,chat` lists the parts that are on; without `show`, everything is, as on a screen nobody set up.
 */
import type { Screen } from '@stream-fighter/core';
import { SCREEN_PARTS } from '@stream-fighter/core/screen-options';

export type ScreenPart = (typeof SCREEN_PARTS)[number];

/** The overlay's address for a screen: its language and, unless every part is on, the parts that are. */
export function overlayPath(screen: Pick<Screen, 'lang' | 'show'>): string {
  return `/overlay?${withParts(new URLSearchParams({ lang: screen.lang }), screen.show)}`;
}

/** The parts on, for an address: none named when all are (the pages' default), commas left readable. */
function withParts(query: URLSearchParams, show: Screen['show']): string {
  const on = SCREEN_PARTS.filter((p) => show[p]);
  if (on.length < SCREEN_PARTS.length) query.set('show', on.join(','));
  // Commas are safe in a query and easier to read (and edit in OBS) than %2C.
  return query.toString().replace(/%2C/g, ',');
}

/**
 * The site's /scene drawing a screen as the canvas would (web/src/scripts/scene-params.ts reads it): its scene,
 * language and parts, so a browser screen set to this page shows what its settings say. The size is the window's
 * (a render node opens the page at the stream's), the room the site's own.
 */
export function scenePath(screen: Pick<Screen, 'lang' | 'scene' | 'show'>): string {
  return `/scene?${withParts(new URLSearchParams({ lang: screen.lang, scene: screen.scene }), screen.show)}`;
}

/** The parts an overlay address asks for; unknown names are ignored. */
export function shownParts(query: URLSearchParams): ReadonlySet<ScreenPart> {
  const asked = query.get('show');
  if (asked === null) return new Set(SCREEN_PARTS);
  const names = asked.split(',').map((s) => s.trim());
  return new Set(SCREEN_PARTS.filter((p) => names.includes(p)));
}
