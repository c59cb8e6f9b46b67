/**
 * Reads an HTTP-FLV stream the way a player starts to: the FLV header, then tags until the first coded video
 * frame. The stack uses it to time the first frame at the receiver; the tests use it to check the preview.
 */

export const FLV_SIGNATURE = Buffer.from('FLV\x01', 'latin1');
const TAG_VIDEO = 9;
const CODEC_AVC = 7;
const AVC_NALU = 1;

/** Offset just past the first video frame's tag in `buf`, or -1 while there is none yet (throws if not FLV). */
export function firstVideoFrameEnd(buf: Buffer): number {
  if (buf.length < 9) return -1;
  if (!buf.subarray(0, 4).equals(FLV_SIGNATURE)) throw new Error(`not FLV: starts with ${buf.subarray(0, 4).toString('hex')}`);
  let at = buf.readUInt32BE(5) + 4; // header, then PreviousTagSize0
  while (at + 11 <= buf.length) {
    const type = buf[at]! & 0x1f;
    const size = buf.readUIntBE(at + 1, 3);
    const end = at + 11 + size + 4;
    if (end > buf.length) return -1;
    if (type === TAG_VIDEO && size >= 2) {
      const codec = buf[at + 11]! & 0x0f;
      // AVC: skip the sequence header (packet type 0), a frame is packet type 1. Other codecs: any video tag.
      if (codec !== CODEC_AVC || buf[at + 12] === AVC_NALU) return end;
    }
    at = end;
  }
  return -1;
}

/** Resolves once `url` delivers a video frame; reconnects while nothing publishes yet. Rejects only on abort. */
export async function waitForFirstFrame(url: string, signal: AbortSignal, retryMs = 300): Promise<Buffer> {
  while (!signal.aborted) {
    try {
      const res = await fetch(url, { signal });
      if (res.ok && res.body) {
        let buf = Buffer.alloc(0);
        let end = -1;
        // Leaving the loop early cancels the stream: the connection closes once the frame is in.
        for await (const chunk of res.body) {
          buf = Buffer.concat([buf, chunk as Uint8Array]);
          end = firstVideoFrameEnd(buf);
          if (end > 0) break;
        }
        if (end > 0) return buf.subarray(0, end);
      } else {
        await res.body?.cancel().catch(() => {});
      }
    } catch (e) {
      if (signal.aborted) break;
      if (e instanceof Error && e.message.startsWith('not FLV')) throw e;
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
  throw new Error('aborted');
}
