/**
 * The renderer: one canvas per output stream. `render` draws a frame and reads the pixels back as RGBA
 * (width*height*4 bytes); `png` encodes the last frame for /snapshot.png.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Screen, ScreenShow } from '@stream-fighter/core';
import { SHOW_ALL } from '@stream-fighter/core/screen';
import { draw } from './draw.ts';
import type { FrameOptions } from './draw.ts';
import { registerFonts } from './fonts.ts';
import type { Lang } from '@stream-fighter/view/languages';
import type { SceneView } from './model.ts';

/** `screen`: the scene drawn (a screen's `scene`); `show`: the parts drawn around the action (all when absent). */
export type RendererOptions = { width: number; height: number; lang: Lang; screen: Screen['scene']; voteUrl: string; show?: ScreenShow };

export type Renderer = {
  readonly width: number;
  readonly height: number;
  /**
   * Draws the frame and returns its pixels: RGBA, 8 bits each, row-major, no padding. The buffer is valid until the
   * next call, which releases it (it is then empty): copy what must outlive the frame.
   */
  render(view: SceneView, t: number): Buffer;
  /** PNG of the last rendered frame (a blank frame before the first render). */
  png(): Promise<Buffer>;
};

/**
 * canvas.data() copies the pixels into a new native buffer each frame (@napi-rs/canvas has no call that reads into a
 * buffer we own). Left to the GC, those buffers live on until V8 happens to collect their small wrappers: 4-5 frames
 * at 720p30 (~17 MB) waiting at any time, and each new one faulted in fresh pages (0.5-1 ms of the frame). So each
 * render releases the previous frame's buffer itself: detaching it (ArrayBuffer.prototype.transfer) drops the last
 * reference to its memory, which the addon's finalizer frees on the next turn of the event loop, before the next
 * frame. Two buffers then take turns, and with mimalloc keeping freed pages for a while (build.ts, NODE_ENV) the next
 * frame reuses warm pages instead of faulting in new ones.
 */
function release(buf: Buffer | null): void {
  // Only a buffer that is all of its ArrayBuffer is the addon's own; a view into anything larger is left alone.
  if (buf && buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength && buf.buffer instanceof ArrayBuffer) buf.buffer.transfer(0);
}

export const SIZES = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;

export function createRenderer(opts: RendererOptions): Renderer {
  if (!Number.isInteger(opts.width) || !Number.isInteger(opts.height) || opts.width < 320 || opts.height < 180) {
    throw new Error(`renderer size must be whole pixels, at least 320x180 (got ${opts.width}x${opts.height})`);
  }
  registerFonts();
  const canvas = createCanvas(opts.width, opts.height);
  const ctx = canvas.getContext('2d', { alpha: false });
  const frame: FrameOptions = { ...opts, show: opts.show ?? SHOW_ALL };
  let last: Buffer | null = null;
  return {
    width: opts.width,
    height: opts.height,
    render(view, t) {
      release(last);
      last = null;
      draw(ctx, view, t, frame);
      // canvas.data() is the surface's own bytes (premultiplied RGBA). Every frame paints an opaque background
      // first, so premultiplied and straight alpha are the same bytes and no per-pixel conversion is needed;
      // it is also cheaper than getImageData, which builds an ImageData around a copy.
      last = canvas.data();
      return last;
    },
    png() {
      return canvas.encode('png');
    },
  };
}
