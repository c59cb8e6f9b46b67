/**
 * The FFmpeg command line for one live stream, as a pure function so it can be unit-tested without FFmpeg.
 *
 * Inputs: raw RGBA frames on stdin (the canvas's own pixel layout, so JS never converts pixels) and raw
 * s16le PCM on fd 3. Timestamps come from counting: video is frame n at n/fps, audio is sample s at s/48000,
 * and the stream writes exactly 48000/fps samples per frame, so the two never drift apart.
 */

export const AUDIO_SAMPLE_RATE = 48_000;
export const AUDIO_CHANNELS = 2;
/** The file descriptor the PCM pipe is on in the child (`stdio[3]`). */
export const AUDIO_FD = 3;
/** Raw frames FFmpeg may hold between its pipe reader and the encoder (see the input options below). */
export const VIDEO_QUEUE_FRAMES = 8;

/**
 * Environment for FFmpeg. Every raw frame arrives as one packet of a frame's size (3.7 MB at 720p, 8.3 MB at 1080p).
 * glibc's malloc would serve those from mmap at first, then raise its mmap threshold past them and serve them from
 * the reader thread's arena, which keeps what it once held: FFmpeg measured 90-110 MB RSS at 720p and up to 190 MB
 * at 1080p, most of it freed packets. A fixed threshold below a frame keeps every packet mmapped, so a freed packet
 * is returned at once: ~80 MB at 720p, ~100 MB at 1080p, for ~0.04 (720p) to ~0.08 (1080p) of a core spent
 * faulting the fresh pages in (measured with bench/pipeline.ts). Smaller buffers still come from the heap.
 */
export const FFMPEG_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: String(1024 * 1024) };

export interface FfmpegArgsOptions {
  rtmpUrl: string;
  streamKey: string;
  width: number;
  height: number;
  fps: number;
  /** Video bitrate, e.g. `3000k` or `4.5M`; the stream is CBR at this rate. */
  bitrate: string;
  /** x264 preset; `ultrafast` (with CABAC put back, see below) keeps one 720p30 stream well under half a core. */
  preset: string;
  /** Seconds between keyframes; ingest servers (Twitch, YouTube) want 2. */
  keyframeSec?: number;
  audioBitrate?: string;
}

const STREAM_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const SINGLE_THREAD_PRESETS = ['ultrafast', 'superfast'];
const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

/** `3000k` → 3000, `4.5M` → 4500, `2500000` → 2500. */
export function parseKbps(bitrate: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(bitrate.trim());
  if (!m) throw new Error(`bitrate must look like 3000k or 4.5M, got ${JSON.stringify(bitrate)}`);
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  const kbps = unit === 'm' ? n * 1000 : unit === 'k' ? n : n / 1000;
  if (!(kbps >= 100 && kbps <= 50_000)) throw new Error(`bitrate ${bitrate} is outside 100k..50M`);
  return Math.round(kbps);
}

export function rtmpTarget(rtmpUrl: string, streamKey: string): string {
  if (!/^rtmps?:\/\/[^/]+/.test(rtmpUrl)) throw new Error(`rtmpUrl must start with rtmp:// or rtmps://, got ${rtmpUrl}`);
  if (!STREAM_KEY.test(streamKey)) throw new Error('stream key may use A-Z a-z 0-9 _ . - only');
  // The key is a path element; a query (Restreamer's `?token=…`) stays at the end: rtmp://host/live/<key>?token=T
  const q = rtmpUrl.indexOf('?');
  const base = q === -1 ? rtmpUrl : rtmpUrl.slice(0, q);
  const query = q === -1 ? '' : rtmpUrl.slice(q);
  return `${base.replace(/\/+$/, '')}/${streamKey}${query}`;
}

export function buildFfmpegArgs(o: FfmpegArgsOptions): string[] {
  if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width % 2 || o.height % 2 || o.width < 16 || o.height < 16) {
    throw new Error(`size must be even integers (yuv420p), got ${o.width}x${o.height}`);
  }
  if (!Number.isInteger(o.fps) || o.fps < 1 || o.fps > 60) throw new Error(`fps must be an integer 1..60, got ${o.fps}`);
  if (!X264_PRESETS.includes(o.preset)) throw new Error(`unknown x264 preset ${o.preset}`);
  const kbps = parseKbps(o.bitrate);
  const gop = String(Math.round((o.keyframeSec ?? 2) * o.fps));
  const audioKbps = parseKbps(o.audioBitrate ?? '128k');

  return [
    '-hide_banner',
    '-loglevel', 'warning',
    // Progress as key=value blocks on stdout once a second: the supervisor's stall detector and stats read it.
    '-nostats',
    '-progress', 'pipe:1',
    '-stats_period', '1',

    // FFmpeg opens its inputs one after the other and, by default, reads seconds of each to probe it. The
    // writer feeds both pipes a frame at a time, so a long probe of one would deadlock against the other;
    // the formats are fully described here, so there is nothing to probe.
    // A pipe:0 input also turns off FFmpeg's keyboard commands, so frame bytes are never taken for `q`.
    // The video queue is short on purpose: its packets are whole RGBA frames (3.6 MB at 720p, 8.3 MB at 1080p),
    // and FFmpeg's reader thread takes them off the pipe as fast as we write, so with 64 slots a slow moment of
    // the encoder parked up to 530 MB inside FFmpeg (measured: 400-560 MB RSS at 1080p on a busy machine) and our
    // write back-pressure never engaged. 8 frames (~270 ms) absorb a hiccup; past that, writes wait and the frame
    // loop counts drops, which is the honest signal. At start FFmpeg cannot take frames until its output is open and
    // its encoders are set up, so the supervisor holds frames back until then (supervisor.ts, `Feeding`) rather than
    // fill these 8 slots and have FFmpeg warn "Thread message queue blocking" on every start.
    '-thread_queue_size', String(VIDEO_QUEUE_FRAMES), '-probesize', '32', '-analyzeduration', '0',
    '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${o.width}x${o.height}`, '-r', String(o.fps),
    '-i', 'pipe:0',
    '-thread_queue_size', '256', '-probesize', '32', '-analyzeduration', '0',
    '-f', 's16le', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', String(AUDIO_CHANNELS), '-ch_layout', 'stereo',
    '-i', `pipe:${AUDIO_FD}`,
    '-map', '0:v:0', '-map', '1:a:0',

    // HD players assume BT.709 when untagged; swscale defaults to BT.601. Convert with 709 and say so,
    // or every viewer sees slightly wrong colours (reds and greens shift most).
    '-vf', 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',

    '-c:v', 'libx264', '-preset', o.preset, '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    // The cheap presets encode in one thread: ultrafast takes ~0.45 of a core at 1080p30 including the colour
    // conversion, so one x264 thread keeps up, leaves the other core to the frame loop, and saves the per-thread
    // buffers (~3 MB RSS at 720p; x264's default here is 3 slice threads). Slower presets keep x264's default.
    ...(SINGLE_THREAD_PRESETS.includes(o.preset) ? ['-threads', '1'] : []),
    // Fixed 2 s GOP, no scene-cut keyframes: ingest servers segment on keyframes.
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    // CBR: ingest servers (Twitch especially) want a constant rate; nal-hrd=cbr pads with filler to hold it.
    '-b:v', `${kbps}k`, '-minrate', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`,
    // YouTube and Twitch ask for Main or High profile. ultrafast turns CABAC off, which alone makes the stream
    // Constrained Baseline; CABAC back on makes it Main (High once a preset uses 8x8 transforms) and costs ~0.01 of
    // a core at 3 Mbps (the entropy coder's work grows with the bitrate, not the picture). `-profile:v high` is the
    // ceiling x264 checks the settings against, not a feature switch. No B-frames: zerolatency keeps them off, as
    // each would add a frame of delay between a vote and the picture.
    '-profile:v', 'high',
    '-x264-params', 'nal-hrd=cbr:cabac=1',

    '-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', `${audioKbps}k`,
    '-ar', String(AUDIO_SAMPLE_RATE), '-ac', String(AUDIO_CHANNELS),

    // End the output when the frame pipe closes, whatever the audio pipe is doing.
    '-shortest',
    '-f', 'flv',
    // Live output cannot seek back to patch duration/size into the header; don't try.
    '-flvflags', 'no_duration_filesize',
    '-tcp_nodelay', '1',
    rtmpTarget(o.rtmpUrl, o.streamKey),
  ];
}
