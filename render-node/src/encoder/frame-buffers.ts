/**
 * The stream sends FFmpeg copies of the frames it is given, in two buffers of its own that live as long as the
 * stream: a drawn frame only stays valid until the next call to draw (the renderer then releases it), while a write,
 * the repeat of missed slots and a frame waiting for the pipe all outlive that call. Two buffers that live for weeks
 * also keep frames out of V8's young generation: a frame that outlived two young GCs was promoted and could then only
 * go in a full GC, ~10 a second at 1080p.
 */
export interface FrameBuffers {
  /** A buffer `inUse` does not claim, or null when both are taken. */
  free(inUse: (buf: Buffer) => boolean): Buffer | null;
}

export function createFrameBuffers(frameBytes: number): FrameBuffers {
  const own: Buffer[] = [];
  return {
    free(inUse) {
      for (let i = 0; i < 2; i++) {
        // Allocated on first need: the second only once the first is busy.
        const buf = (own[i] ??= Buffer.allocUnsafeSlow(frameBytes));
        if (!inUse(buf)) return buf;
      }
      return null;
    },
  };
}
