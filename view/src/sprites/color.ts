/** Small colour helpers for #rrggbb strings: the sprites' shading, and the stream's HUD colours. */

export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function hex([r, g, b]: readonly number[]): string {
  const c = (x: number | undefined) => Math.max(0, Math.min(255, Math.round(x ?? 0))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** f > 1 lightens toward white, f < 1 darkens toward black. */
export function shade(color: string, f: number): string {
  const c = rgb(color);
  return hex(f >= 1 ? c.map((x) => x + (255 - x) * (f - 1)) : c.map((x) => x * f));
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
