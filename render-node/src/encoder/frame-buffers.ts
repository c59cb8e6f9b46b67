/**
 * The stream sends FFmpeg copies of the frames it is given, in buffers of its own that live as long as the stream:
 * a drawn frame only stays valid until the next call to draw (the renderer then releases it), while a write and a
 * frame waiting for the pipe outlive that call. Buffers that live for weeks also keep frames out of V8's young
 * generation: a frame that outlived two young GCs was promoted and could then only go in a full GC, ~10 a second at
 * 1080p.
 *
 * One buffer is enough while each frame is in FFmpeg's pipe before the next slot, which is nearly always. A spare is
 * taken only while the first is still being written (a slow moment of FFmpeg: the next frame waits behind it), and
 * given back once it has gone unused for SPARE_IDLE_MS, so the stream holds one frame (3.7 MB at 720p, 8.3 MB at
 * 1080p) rather than two but for the odd busy stretch.
 */
export interface FrameBuffers {
  /** A buffer `inUse` does not claim, or null when both are taken. */
  free(inUse: (buf: Buffer) => boolean): Buffer | null;
  /** Buffers held now (1 or 2; 0 before the first frame). */
  readonly held: number;
}

/** The spare goes back this long after it was last needed: a busy stretch keeps it, a lone slow write does not. */
export const SPARE_IDLE_MS = 5_000;

export function createFrameBuffers(frameBytes: number, now: () => number): FrameBuffers {
  let main: Buffer | null = null;
  let spare: Buffer | null = null;
  let spareUsedAt = 0;
  return {
    free(inUse) {
      main ??= Buffer.allocUnsafeSlow(frameBytes);
      if (!inUse(main)) {
        if (spare && !inUse(spare) && now() - spareUsedAt >= SPARE_IDLE_MS) {
          // Detaching frees its memory now rather than at some later full GC (the buffer is old by then).
          if (spare.buffer instanceof ArrayBuffer) spare.buffer.transfer(0);
          spare = null;
        }
        return main;
      }
      spare ??= Buffer.allocUnsafeSlow(frameBytes);
      if (inUse(spare)) return null;
      spareUsedAt = now();
      return spare;
    },
    get held() {
      return (main ? 1 : 0) + (spare ? 1 : 0);
    },
  };
}
