/** Small colour helpers for #rrggbb strings: the sprites' shading, and the stream's HUD colours. */

export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function hex([r, g, b]: readonly number[]): string {
  const c = (x: number | undefined) => Math.max(0, Math.min(255, Math.round(x ?? 0))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/**
 * The lightest a highlight may get (luminance() of the result): lightening stops here instead of running into
 * white, so a light colour's highlights stay a tint of it and never become flat white blocks on a sprite.
 */
export const HIGHLIGHT_MAX = 0.86;

/** f > 1 lightens toward white (never past HIGHLIGHT_MAX, or the colour's own luminance if above), f < 1 darkens toward black. */
export function shade(color: string, f: number): string {
  const c = rgb(color);
  if (f < 1) return hex(c.map((x) => x * f));
  // luminance() is linear in the mix, so the cap is a cap on how far toward white the colour moves.
  const l = luminance(color);
  const k = Math.min(f - 1, l >= HIGHLIGHT_MAX ? 0 : (HIGHLIGHT_MAX - l) / (1 - l));
  return hex(c.map((x) => x + (255 - x) * k));
}

/** The colour, darkened (keeping its hue) until its luminance() is at most `max`: a near-white made drawable. */
export function capLight(color: string, max: number): string {
  const l = luminance(color);
  return l > max ? shade(color, max / l) : color;
}

export function luminance(color: string): number {
  const [r, g, b] = rgb(color);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** A version of the colour that reads on a dark background (HP bars, bars scene). */
export function onDark(color: string): string {
  const l = luminance(color);
  return l < 0.35 ? shade(color, 1 + (0.35 - l) * 1.8) : color;
}

/** WCAG 2 relative luminance (sRGB linearised), 0 for black to 1 for white. */
export function relativeLuminance(color: string): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = rgb(color);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of two colours, 1 (same) to 21 (black on white). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
