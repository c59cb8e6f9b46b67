/**
 * The browser's stand-in for @napi-rs/canvas, so the stream's own scene (render-node/src/scene) draws on /scene
 * unchanged: the scene's modules import `createCanvas` (their sprite, text and background caches) and `Path2D` (the
 * streak flame) from that package, and astro.config.mjs points the package here for the site's bundle. The 2D
 * context is the same API in both; only where a canvas comes from differs. `GlobalFonts` is there for the scene's
 * fonts.ts, whose `registerFonts` the page never calls: the page's @font-face rules (pages/scene.astro) give the
 * same families from the same files.
 */

/** A canvas of the given size, as @napi-rs/canvas's createCanvas gives one: the browser's own. */
export function createCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

export const Path2D = globalThis.Path2D;

/** Never used on the page (fonts come from CSS); present so the scene's fonts.ts links. */
export const GlobalFonts = {
  registerFromPath(): boolean {
    throw new Error('fonts on /scene come from its @font-face rules, not registerFromPath');
  },
};
