/** The colours of one fighter: its own colour, the archetype's trim, and the skin, limbs and clothes made of them. */
import { ARCHETYPES } from '@stream-fighter/core/roster';
import type { ArchetypeId } from '@stream-fighter/core/ids';
import { capLight, luminance, rgb, shade } from './color.ts';

export type Palette = {
  main: string;
  /** The archetype's two trim colours, swapped for a fallback when too close to `main`. */
  p1: string;
  p2: string;
  skin: string;
  torso: string;
  arm: string;
  arm2: string;
  leg: string;
  leg2: string;
  fist: string;
  foot: string;
};

const SKINS = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac'];

/** The trim colour, or the fallback when the two are so close the trim would vanish on the fighter. */
export function apart(trim: string, main: string, fallback: string): string {
  const a = rgb(trim);
  const b = rgb(main);
  const d = Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
  return d < 120 ? fallback : trim;
}

/** A human skin tone, fixed per fighter (colour and archetype) so it never changes between frames or rounds. */
export function skinFor(color: string, archetype: ArchetypeId): string {
  let h = 0;
  for (const ch of color + archetype) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return SKINS[h % SKINS.length] ?? '#f1c27d';
}

/**
 * The lightest a fighter's own colour is drawn (luminance()): a white or near-white fighter is drawn a shade darker,
 * so its highlights (up to HIGHLIGHT_MAX) still show and nothing on it is a flat white block.
 */
export const MAIN_MAX = 0.78;
/** The trim for a fighter whose trim would vanish on it: light on dark fighters, dark on light ones, never white. */
const LIGHT_TRIM = '#e4e4ee';
const DARK_TRIM = '#3d405b';

export function paletteFor(archetype: ArchetypeId, color: string): Palette {
  const main = capLight(color, MAIN_MAX);
  // An archetype this build does not know (a page older than the Worker's data) gets the fallback trims.
  const pal = ARCHETYPES[archetype]?.palette ?? [];
  const fallback = luminance(main) > 0.6 ? DARK_TRIM : LIGHT_TRIM;
  const p1 = capLight(apart(pal[1] ?? fallback, main, fallback), MAIN_MAX + 0.1);
  const p2 = apart(pal[2] ?? '#222222', main, '#1f1f2a');
  const alien = archetype === 'alien';
  const robot = archetype === 'robot';
  const beast = archetype === 'beast';
  const skin = alien ? shade(main, 1.15) : robot ? '#b8c2cc' : beast ? shade(main, 1.25) : skinFor(main, archetype);
  const bareArms = archetype === 'brawler' || archetype === 'luchador';
  const arm = bareArms || alien ? skin : beast ? main : robot ? '#9aa5b1' : main;
  const legBase = archetype === 'luchador' ? p2 : archetype === 'ninja' ? main : null;
  return {
    main,
    p1,
    p2,
    skin,
    // The luchador's chest is bare; everyone else wears their own colour.
    torso: archetype === 'brawler' ? main : archetype === 'luchador' ? skin : main,
    arm,
    arm2: shade(arm, 0.8),
    leg: legBase ?? shade(p2, 1.1),
    leg2: shade(legBase ?? p2, 0.85),
    fist: robot ? '#6c7a89' : alien || bareArms ? shade(skin, 0.9) : beast ? p1 : skin,
    foot: '#1f1f2a',
  };
}
