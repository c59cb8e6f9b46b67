/**
 * What FFprobe saw of the stream at the receiver, reduced to the figures the checks compare: codecs, size, the
 * frame rate measured from the frames' timestamps, the keyframe interval, and the audio.
 */
import { z } from 'zod';

const ProbeStream = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  sample_rate: z.string().optional(),
  channels: z.number().optional(),
});
const ProbeFrame = z.object({
  media_type: z.string(),
  key_frame: z.number().optional(),
  pts_time: z.string().optional(),
  best_effort_timestamp_time: z.string().optional(),
});
export const ProbeOutput = z.object({ streams: z.array(ProbeStream).default([]), frames: z.array(ProbeFrame).default([]) });

export interface StreamFacts {
  video: { codec: string; profile: string | undefined; width: number; height: number; declaredFps: number | null } | null;
  audio: { codec: string; profile: string | undefined; sampleRate: number | null; channels: number | null } | null;
  videoFrames: number;
  audioFrames: number;
  /** Frames per second from the video frames' timestamps (frames − 1 over the time they span). */
  measuredFps: number | null;
  /** Seconds between consecutive keyframes, in stream time. */
  keyframeIntervals: number[];
  /** Stream seconds the video frames span. */
  spanSec: number;
}

function rate(r: string | undefined): number | null {
  if (!r) return null;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return null;
  return n / d;
}

export function streamFacts(raw: unknown): StreamFacts {
  const p = ProbeOutput.parse(raw);
  const v = p.streams.find((s) => s.codec_type === 'video');
  const a = p.streams.find((s) => s.codec_type === 'audio');
  const times = (type: string, keyOnly = false) =>
    p.frames
      .filter((f) => f.media_type === type && (!keyOnly || f.key_frame === 1))
      .map((f) => Number(f.pts_time ?? f.best_effort_timestamp_time))
      .filter((t) => Number.isFinite(t));
  const vt = times('video');
  const kt = times('video', true);
  const span = vt.length > 1 ? Math.max(...vt) - Math.min(...vt) : 0;
  return {
    video: v ? { codec: v.codec_name ?? '?', profile: v.profile, width: v.width ?? 0, height: v.height ?? 0, declaredFps: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate) } : null,
    audio: a ? { codec: a.codec_name ?? '?', profile: a.profile, sampleRate: a.sample_rate ? Number(a.sample_rate) : null, channels: a.channels ?? null } : null,
    videoFrames: vt.length,
    audioFrames: times('audio').length,
    measuredFps: span > 0 ? (vt.length - 1) / span : null,
    keyframeIntervals: kt.slice(1).map((t, i) => Math.round((t - kt[i]!) * 1000) / 1000),
    spanSec: span,
  };
}
