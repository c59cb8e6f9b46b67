/**
 * Turns the browser's JPEG frames into the RGBA frames the encoder takes, at the stream's size, with @napi-rs/canvas
 * (already the canvas path's, so no second image library).
 *
 * The JPEG is decoded off the main thread: an Image given its bytes with an `onload` handler decodes on libuv's
 * thread pool, and drawing the decoded image is then a copy. Measured at 720p (a 57 kB JPEG of a gradient with text,
 * the shared 2-core VM): decoding inside drawImage blocked the event loop 4.2–4.7 ms a frame; decoded first, the
 * main thread spends 0.2 ms setting it off and 0.3 ms drawing it, and the decode's 4.7 ms happen elsewhere. The
 * frame loop's timing is what drops frames, so the main thread's share is the one that counts.
 *
 * Only the newest frame is decoded: one decode at a time, and a frame that arrives meanwhile replaces any other
 * waiting (Chromium can send faster than the stream takes). Only the newest decoded image is drawn, when asked for.
 */
import { createCanvas, Image } from '@napi-rs/canvas';

export interface FrameDecoder {
  /** Starts decoding `jpeg`; once decoded it is the frame `rgba()` returns. */
  push(jpeg: Buffer): void;
  /**
   * The newest decoded frame: RGBA, width*height*4 bytes, opaque black before the first. Valid until the next call,
   * which may release it: copy what must outlive it.
   */
  rgba(): Buffer;
  png(): Promise<Buffer>;
  /** Frames decoded, and frames that were not images (kept out of the stream: the last good frame stays). */
  readonly decoded: number;
  readonly failed: number;
}

/** Same reasoning as scene/renderer.ts's release: canvas.data() is a fresh native copy; detach the old one at once. */
function release(buf: Buffer | null): void {
  if (buf && buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength && buf.buffer instanceof ArrayBuffer) buf.buffer.transfer(0);
}

export function createFrameDecoder(
  width: number,
  height: number,
  onError: (error: string) => void = () => {},
  /** A new frame is decoded: `rgba()` now returns it. */
  onDecoded: () => void = () => {},
): FrameDecoder {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d', { alpha: false });
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  let current: Buffer | null = null;
  /** Decoded and not drawn yet. */
  let ready: Image | null = null;
  let decoding = false;
  /** Arrived while another was decoding: the next to decode. */
  let waiting: Buffer | null = null;
  let decoded = 0;
  let failed = 0;

  const next = () => {
    decoding = false;
    const jpeg = waiting;
    waiting = null;
    if (jpeg) start(jpeg);
  };
  const start = (jpeg: Buffer) => {
    decoding = true;
    const img = new Image();
    img.onload = () => {
      if (img.width > 0 && img.height > 0) {
        ready = img;
        decoded++;
        onDecoded();
      } else {
        failed++;
        onError('decoded to an empty image');
      }
      next();
    };
    // Typed as a DOM Event; @napi-rs/canvas passes the decoder's Error.
    img.onerror = (e: unknown) => {
      failed++;
      onError(e instanceof Error ? e.message : String(e));
      next();
    };
    try {
      img.src = jpeg;
    } catch (e) {
      failed++;
      onError(e instanceof Error ? e.message : String(e));
      next();
    }
  };

  return {
    push(jpeg) {
      if (decoding) waiting = jpeg;
      else start(jpeg);
    },
    rgba() {
      if (ready) {
        // The page is laid out at the stream's size, so this is a copy; a page that changed its zoom is scaled back.
        ctx.drawImage(ready, 0, 0, width, height);
        ready = null;
        release(current);
        current = null;
      }
      // The canvas is opaque (alpha: false and a full-frame draw), so its premultiplied bytes are straight RGBA.
      current ??= canvas.data();
      return current;
    },
    png: () => canvas.encode('png'),
    get decoded() {
      return decoded;
    },
    get failed() {
      return failed;
    },
  };
}
