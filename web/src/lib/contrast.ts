/**
 * WCAG 2.x contrast, from CSS colours: relative luminance, the contrast ratio, alpha compositing and the AA
 * thresholds. Pure functions (no DOM, no files), so the palette test can run them on the site's stylesheet.
 * https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and #dfn-contrast-ratio
 */

/** sRGB channels 0–255 and alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** #rgb, #rrggbb, #rrggbbaa, rgb(r g b), rgb(r g b / a), rgb(r, g, b) and rgba(r, g, b, a). */
export function parseColor(css: string): Rgba {
  const s = css.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    const at = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return { r: at(0), g: at(2), b: at(4), a: full.length === 8 ? at(6) / 255 : 1 };
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s)?.[1];
  if (fn) {
    const parts = fn.split(/[\s,/]+/).filter(Boolean);
    if (parts.length === 3 || parts.length === 4) {
      const [r, g, b] = parts.slice(0, 3).map(Number) as [number, number, number];
      const alpha = parts[3];
      const a = alpha === undefined ? 1 : alpha.endsWith('%') ? Number(alpha.slice(0, -1)) / 100 : Number(alpha);
      if ([r, g, b, a].every(Number.isFinite)) return { r, g, b, a };
    }
  }
  throw new Error(`not a colour this checker understands: ${css}`);
}

/** `top` painted over an opaque `under` (source-over). */
export function over(top: Rgba, under: Rgba): Rgba {
  const mix = (t: number, u: number) => t * top.a + u * (1 - top.a);
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a: 1 };
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(c: Rgba): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** (L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21. Both colours must be opaque by now. */
export function contrastRatio(fg: Rgba, bg: Rgba): number {
  if (fg.a < 1 || bg.a < 1) throw new Error('composite translucent colours onto their backdrop first');
  const [hi, lo] = [relativeLuminance(fg), relativeLuminance(bg)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Large text is at least 18 pt (24 px), or 14 pt (18.66 px) bold. */
export function isLargeText(px: number, bold: boolean): boolean {
  return px >= 24 || (bold && px >= 18.66);
}

/** WCAG AA: 4.5:1 for text, 3:1 for large text (1.4.3) and for control borders and meaningful graphics (1.4.11). */
export function aaMinimum(use: { kind: 'text'; px: number; bold: boolean } | { kind: 'ui' }): number {
  return use.kind === 'ui' || isLargeText(use.px, use.bold) ? 3 : 4.5;
}

/**
 * Custom properties declared in `:root { … }` blocks, with `var(--x)` references resolved. Later declarations
 * win, as in the cascade.
 */
export function rootCustomProperties(css: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const block of css.matchAll(/:root\s*\{([^}]*)\}/g)) {
    const body = block[1]!.replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) props.set(m[1]!, m[2]!.trim());
  }
  const resolve = (value: string, seen: Set<string>): string =>
    value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => {
      const v = props.get(name);
      if (v === undefined || seen.has(name)) throw new Error(`unresolvable ${name}`);
      return resolve(v, new Set([...seen, name]));
    });
  for (const [k, v] of props) props.set(k, resolve(v, new Set([k])));
  return props;
}
