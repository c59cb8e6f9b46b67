/**
 * The renderer: one canvas per output stream. `render` draws a frame and reads the pixels back as RGBA
 * (width*height*4 bytes); `png` encodes the last frame for /snapshot.png.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { ScreenId } from '@stream-fighter/core';
import { draw } from './draw.ts';
import type { FrameOptions } from './draw.ts';
import { registerFonts } from './fonts.ts';
import type { Lang } from './i18n.ts';
import type { SceneView } from './model.ts';

export type RendererOptions = { width: number; height: number; lang: Lang; screen: ScreenId; voteUrl: string };

export type Renderer = {
  readonly width: number;
  readonly height: number;
  /**
   * Draws the frame and returns its pixels: RGBA, 8 bits each, row-major, no padding. A new Buffer each call,
   * owned by native code and freed by a finalizer that Node runs on the event loop: call it from a loop that yields
   * (awaits) between frames, or the frames pile up in memory.
   */
  render(view: SceneView, t: number): Buffer;
  /** PNG of the last rendered frame (a blank frame before the first render). */
  png(): Promise<Buffer>;
};

/**
 * A young-generation GC every other frame, when Node runs with --expose-gc (the Dockerfile and the render node's
 * `npm start` set it). canvas.data() copies the pixels into a new native buffer each frame (@napi-rs/canvas has no
 * call that reads into a buffer we own); V8 counts those as external memory but the objects holding them are tiny,
 * so left alone it rarely scavenges and instead answers the external-memory pressure with full Mark-Compact GCs:
 * ~5 a second at 720p30 (`--trace-gc`), against 1 in 10 s with this. Measured on the whole pipeline at 720p30
 * (bench/pipeline.ts, 20-s runs): Node 0.22-0.25 cores and ~195-205 MB RSS without it, 0.14 cores and ~190 MB
 * with it. Every frame saved ~20 MB more but cost 0.1 core more than none; every other frame is the sweet spot.
 * Without the flag this is a no-op (tests, ad-hoc runs).
 */
const minorGc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
const GC_EVERY_FRAMES = 2;

export const SIZES = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;

export function createRenderer(opts: RendererOptions): Renderer {
  if (!Number.isInteger(opts.width) || !Number.isInteger(opts.height) || opts.width < 320 || opts.height < 180) {
    throw new Error(`renderer size must be whole pixels, at least 320x180 (got ${opts.width}x${opts.height})`);
  }
  registerFonts();
  const canvas = createCanvas(opts.width, opts.height);
  const ctx = canvas.getContext('2d', { alpha: false });
  const frame: FrameOptions = { ...opts };
  let frames = 0;
  return {
    width: opts.width,
    height: opts.height,
    render(view, t) {
      if (minorGc && ++frames % GC_EVERY_FRAMES === 0) minorGc({ type: 'minor' });
      draw(ctx, view, t, frame);
      // canvas.data() is the surface's own bytes (premultiplied RGBA). Every frame paints an opaque background
      // first, so premultiplied and straight alpha are the same bytes and no per-pixel conversion is needed;
      // it is also cheaper than getImageData, which builds an ImageData around a copy.
      return canvas.data();
    },
    png() {
      return canvas.encode('png');
    },
  };
}
