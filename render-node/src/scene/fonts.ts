/**
 * Fonts are registered from files the project installs (@fontsource packages), never taken from the system, so a
 * slim container draws the same frames as a dev machine. The colour emoji font is optional: shout-outs may carry
 * emoji, and without it they simply fall back to a missing glyph.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/** Family names as registered: unique so no system font can answer for them. */
export const FONT = {
  /** Arcade pixel font for the timer, letters and the big cards; its accented capitals are poor, so words with
   * accents (most Spanish labels) use the sans. */
  pixel: 'SF Pixel',
  /** Heavy sans for names, numbers and everything people must read on a phone. */
  sans: 'SF Sans',
  emoji: 'SF Emoji',
} as const;

const EMOJI_PATH = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

let registered: { emoji: boolean } | null = null;

function fontsourceFile(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`@fontsource/${pkg}/package.json`)), 'files', file);
}

/** Idempotent. Throws if a shipped font is missing: drawing with a fallback would silently change every frame. */
export function registerFonts(): { emoji: boolean } {
  if (registered) return registered;
  const files: Array<[string, string, string]> = [
    ['press-start-2p', 'press-start-2p-latin-400-normal.woff2', FONT.pixel],
    ['press-start-2p', 'press-start-2p-latin-ext-400-normal.woff2', FONT.pixel],
    ['rubik', 'rubik-latin-800-normal.woff2', FONT.sans],
    ['rubik', 'rubik-latin-ext-800-normal.woff2', FONT.sans],
  ];
  for (const [pkg, file, family] of files) {
    const path = fontsourceFile(pkg, file);
    if (!GlobalFonts.registerFromPath(path, family)) throw new Error(`could not register font ${path}`);
  }
  const emoji = existsSync(EMOJI_PATH) && Boolean(GlobalFonts.registerFromPath(EMOJI_PATH, FONT.emoji));
  registered = { emoji };
  return registered;
}

/** A CSS font string for the heavy sans, with the emoji font as fallback. */
export function sans(px: number): string {
  return `800 ${px}px "${FONT.sans}", "${FONT.emoji}"`;
}

export function pixel(px: number): string {
  return `${px}px "${FONT.pixel}"`;
}
