/** The encoder: FFmpeg arguments, the FFmpeg lookup, and one supervised RTMP stream per `startStream`. */
export { buildFfmpegArgs, parseKbps, rtmpTarget, type FfmpegArgsOptions } from './ffmpeg-args.ts';
export { findFfmpeg } from './find-ffmpeg.ts';
export { startStream, type DrawnFrame, type StreamHandle, type StreamOptions } from './stream.ts';
export { SFX_KINDS, type Sfx } from './synth.ts';
