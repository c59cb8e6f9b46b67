/**
 * A player that stays on a key: reads the receiver's HTTP-FLV stream of one key for as long as the test runs and
 * notes when each coded video frame arrived, so a test can see a gap in the picture and when it ended. The local
 * receiver keeps a player attached across a change of publisher, so one connection sees both sides of a
 * failover; if it drops anyway (or nothing publishes yet), it connects again every `retryMs`.
 */
import { FLV_SIGNATURE } from '../stack/flv-probe.ts';

const TAG_VIDEO = 9;
const CODEC_AVC = 7;
const AVC_NALU = 1;

export interface FlvFrame {
  /** Date.now() when it arrived. */
  at: number;
  keyframe: boolean;
}

export interface FlvFrameWatch {
  frames: FlvFrame[];
  /** Times the player (re)connected. */
  connects: number[];
  /** The last reason a connection failed (a refused connect, a stream that is not FLV), for a wait's message. */
  problem: string | null;
  /** The first frame that arrived at or after `from`. */
  firstFrom(from: number): FlvFrame | undefined;
  /** The last frame that arrived, if any. */
  last(): FlvFrame | undefined;
  stop(): void;
}

export function watchFlvFrames(url: string, retryMs = 100): FlvFrameWatch {
  const frames: FlvFrame[] = [];
  const connects: number[] = [];
  const abort = new AbortController();

  const readOnce = async () => {
    const res = await fetch(url, { signal: abort.signal });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    connects.push(Date.now());
    let buf = Buffer.alloc(0);
    let at = -1;
    for await (const chunk of res.body) {
      buf = Buffer.concat([buf, chunk as Uint8Array]);
      if (at < 0) {
        if (buf.length < 9) continue;
        if (!buf.subarray(0, 4).equals(FLV_SIGNATURE)) throw new Error(`not FLV from ${url}: starts with ${buf.subarray(0, 4).toString('hex')}`);
        at = buf.readUInt32BE(5) + 4; // the header, then PreviousTagSize0
      }
      // Whole tags only; the rest waits for the next chunk.
      while (at + 11 <= buf.length) {
        const size = buf.readUIntBE(at + 1, 3);
        const end = at + 11 + size + 4;
        if (end > buf.length) break;
        if ((buf[at]! & 0x1f) === TAG_VIDEO && size >= 2) {
          const frameType = buf[at + 11]! >> 4;
          const codec = buf[at + 11]! & 0x0f;
          // AVC: a sequence header (packet type 0) is not a frame.
          if (codec !== CODEC_AVC || buf[at + 12] === AVC_NALU) frames.push({ at: Date.now(), keyframe: frameType === 1 });
        }
        at = end;
      }
      buf = buf.subarray(at);
      at = 0;
    }
  };

  const watch: FlvFrameWatch = {
    frames,
    connects,
    problem: null,
    firstFrom: (from) => frames.find((f) => f.at >= from),
    last: () => frames.at(-1),
    stop: () => abort.abort(),
  };
  void (async () => {
    while (!abort.signal.aborted) {
      try {
        await readOnce();
      } catch (e) {
        if (abort.signal.aborted) break;
        watch.problem = String(e);
      }
      await new Promise((r) => setTimeout(r, retryMs));
    }
  })();

  return watch;
}
