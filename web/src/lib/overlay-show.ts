/**
 * What the OBS overlay shows, carried in its address. A screen's `show` flags (core/src/screen.ts) cannot be read
 * by the overlay itself: it is a public page, and the screens are the operator's (`/api/screens` needs the
 * token). So the dashboard writes each screen's overlay link with `overlayPath`, and the overlay reads the parts back
 * with `shownParts`: `?show=qr,chat` lists the parts that are on; without `show`, everything is, as on a screen
 * nobody set up.
 */
import type { Screen } from '@stream-fighter/core';
import { SCREEN_PARTS } from '@stream-fighter/core/screen-options';

export type ScreenPart = (typeof SCREEN_PARTS)[number];

/** The overlay's address for a screen: its language and, unless every part is on, the parts that are. */
export function overlayPath(screen: Pick<Screen, 'lang' | 'show'>): string {
  const on = SCREEN_PARTS.filter((p) => screen.show[p]);
  const query = new URLSearchParams({ lang: screen.lang });
  if (on.length < SCREEN_PARTS.length) query.set('show', on.join(','));
  // Commas are safe in a query and easier to read (and edit in OBS) than %2C.
  return `/overlay?${query.toString().replace(/%2C/g, ',')}`;
}

/** The parts an overlay address asks for; unknown names are ignored. */
export function shownParts(query: URLSearchParams): ReadonlySet<ScreenPart> {
  const asked = query.get('show');
  if (asked === null) return new Set(SCREEN_PARTS);
  const names = asked.split(',').map((s) => s.trim());
  return new Set(SCREEN_PARTS.filter((p) => names.includes(p)));
}
