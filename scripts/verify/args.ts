/**
 * FFmpeg and FFprobe command lines for reading the stream at the receiver, as pure functions (unit-tested, no
 * FFmpeg needed). Both read an RTMP play URL or an HTTP-FLV URL.
 */

/** A region of the picture in output pixels. */
export type Crop = { x: number; y: number; w: number; h: number };

/** Input options for a live play URL: start decoding at once and hand each frame over as soon as it is decoded. */
export function liveInputArgs(url: string): string[] {
  const rtmp = /^rtmps?:/.test(url);
  return [
    // nobuffer: no demuxer-side buffering; low_delay also turns off the H.264 decoder's frame threading, which
    // would otherwise hold back one frame per thread.
    '-fflags', 'nobuffer', '-flags', 'low_delay',
    // FLV announces its streams in the header and the AVC sequence header: a short probe is enough.
    '-probesize', '65536', '-analyzeduration', '500000',
    ...(rtmp ? ['-rtmp_live', 'live'] : []),
    '-i', url,
  ];
}

/**
 * Decode the live stream to raw RGB24 frames on stdout, cropped to `crop` (the part a check looks at, so the
 * pipe carries a fraction of the picture). Every decoded frame is written (no frame-rate conversion) and flushed
 * at once, so the time a frame is read from the pipe is the time it was decoded.
 */
export function liveDecodeArgs(url: string, crop: Crop): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...liveInputArgs(url),
    '-map', '0:v:0', '-an',
    '-vf', `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y}`,
    '-fps_mode', 'passthrough',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24',
    '-flush_packets', '1',
    'pipe:1',
  ];
}

/**
 * FFprobe over about `seconds` of the stream: the streams, and every frame's type, key flag and time, as JSON.
 * The interval is a packet count (video frames plus AAC's 48000/1024 packets a second): a time interval reads
 * nothing at all from a live HTTP-FLV stream.
 */
export function probeArgs(url: string, seconds: number, fps: number): string[] {
  const packets = Math.ceil(seconds * (fps + 48_000 / 1024));
  return [
    '-hide_banner', '-v', 'error',
    ...(/^rtmps?:/.test(url) ? ['-rtmp_live', 'live'] : []),
    '-read_intervals', `%+#${packets}`,
    '-show_entries',
    'stream=index,codec_type,codec_name,profile,width,height,avg_frame_rate,r_frame_rate,sample_rate,channels:frame=media_type,key_frame,pts_time,best_effort_timestamp_time',
    '-show_frames',
    '-of', 'json',
    url,
  ];
}

/** Encode one raw RGB24 picture to a PNG file (evidence for the report). */
export function pngArgs(width: number, height: number, out: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', 'pipe:0', '-frames:v', '1', '-y', out];
}
