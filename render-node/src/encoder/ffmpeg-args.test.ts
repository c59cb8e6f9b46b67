import { describe, expect, it } from 'vitest';
import { FFMPEG_ENV, buildFfmpegArgs, parseKbps, rtmpTarget, type FfmpegArgsOptions } from './ffmpeg-args.ts';

const base: FfmpegArgsOptions = {
  rtmpUrl: 'rtmp://restreamer:1935/live/',
  streamKey: 'fight_1',
  width: 1280,
  height: 720,
  fps: 30,
  bitrate: '3000k',
  preset: 'ultrafast',
};

/** The value after `flag`, for flags given once. */
function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

describe('buildFfmpegArgs', () => {
  const args = buildFfmpegArgs(base);

  it('reads raw RGBA frames from stdin at the canvas size and rate, then s16le stereo from fd 3', () => {
    const video = args.indexOf('pipe:0');
    const audio = args.indexOf('pipe:3');
    expect(video).toBeGreaterThan(0);
    expect(audio).toBeGreaterThan(video);
    expect(args.slice(0, video + 1).join(' ')).toContain('-f rawvideo -pix_fmt rgba -s 1280x720 -r 30 -i pipe:0');
    expect(args.slice(video, audio + 1).join(' ')).toContain('-f s16le -ar 48000 -ac 2 -ch_layout stereo -i pipe:3');
    // Both inputs skip probing, or opening one pipe would wait on data we have not written to the other.
    expect(args.filter((a) => a === '-analyzeduration')).toHaveLength(2);
  });

  it('lets FFmpeg queue only a few raw frames, so memory stays bounded and back-pressure reaches the writer', () => {
    const video = args.indexOf('pipe:0');
    const queue = args.indexOf('-thread_queue_size');
    expect(queue).toBeLessThan(video);
    expect(Number(args[queue + 1])).toBeLessThanOrEqual(8);
  });

  it('encodes low-latency H.264 yuv420p with a fixed 2 s GOP at CBR', () => {
    expect(after(args, '-c:v')).toBe('libx264');
    expect(after(args, '-preset')).toBe('ultrafast');
    expect(after(args, '-tune')).toBe('zerolatency');
    expect(after(args, '-pix_fmt')).toBe('rgba'); // the input's; the output's comes later
    expect(args.lastIndexOf('yuv420p')).toBeGreaterThan(args.indexOf('libx264'));
    expect(after(args, '-g')).toBe('60');
    expect(after(args, '-keyint_min')).toBe('60');
    expect(after(args, '-sc_threshold')).toBe('0');
    for (const f of ['-b:v', '-minrate', '-maxrate', '-bufsize']) expect(after(args, f)).toBe('3000k');
    expect(after(args, '-colorspace')).toBe('bt709');
  });

  it('puts CABAC back on top of ultrafast, so the stream is Main profile rather than Constrained Baseline', () => {
    expect(after(args, '-x264-params')?.split(':')).toEqual(['nal-hrd=cbr', 'cabac=1']);
    expect(after(args, '-profile:v')).toBe('high');
  });

  it('runs the cheap x264 presets in one thread, slower ones with x264\'s own threading', () => {
    expect(after(args, '-threads')).toBe('1');
    expect(args.indexOf('-threads')).toBeGreaterThan(args.indexOf('pipe:3'));
    expect(buildFfmpegArgs({ ...base, preset: 'veryfast' })).not.toContain('-threads');
  });

  it('gives FFmpeg a fixed malloc mmap threshold below one raw frame, so freed frame packets leave its RSS', () => {
    expect(Number(FFMPEG_ENV.MALLOC_MMAP_THRESHOLD_)).toBeLessThan(1280 * 720 * 4);
  });

  it('encodes AAC-LC 128k 48 kHz stereo', () => {
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-profile:a')).toBe('aac_low');
    expect(after(args, '-b:a')).toBe('128k');
  });

  it('pushes FLV to the RTMP app plus stream key, ends with stdin, and reports progress', () => {
    expect(args.at(-1)).toBe('rtmp://restreamer:1935/live/fight_1');
    expect(after(args, '-f')).toBe('rawvideo');
    expect(args.slice(-8).join(' ')).toContain('-f flv');
    expect(after(args, '-tcp_nodelay')).toBe('1');
    expect(args).toContain('-shortest');
    expect(after(args, '-progress')).toBe('pipe:1');
  });

  it('follows the options', () => {
    const other = buildFfmpegArgs({ ...base, width: 1920, height: 1080, fps: 60, bitrate: '6M', preset: 'veryfast', keyframeSec: 1 });
    expect(other.join(' ')).toContain('-s 1920x1080 -r 60');
    expect(after(other, '-g')).toBe('60');
    expect(after(other, '-b:v')).toBe('6000k');
    expect(after(other, '-preset')).toBe('veryfast');
  });

  it('puts the stream key in the path, before any query such as a Restreamer token', () => {
    expect(rtmpTarget('rtmp://h:1935/live', 'k1')).toBe('rtmp://h:1935/live/k1');
    expect(rtmpTarget('rtmp://h:1935/live/', 'k1')).toBe('rtmp://h:1935/live/k1');
    expect(rtmpTarget('rtmp://h:1935/live?token=T', 'k1')).toBe('rtmp://h:1935/live/k1?token=T');
  });

  it('refuses what FFmpeg or the ingest would reject later', () => {
    expect(() => buildFfmpegArgs({ ...base, width: 1281 })).toThrow(/even/);
    expect(() => buildFfmpegArgs({ ...base, fps: 29.97 })).toThrow(/fps/);
    expect(() => buildFfmpegArgs({ ...base, preset: 'ludicrous' })).toThrow(/preset/);
    expect(() => buildFfmpegArgs({ ...base, bitrate: 'fast' })).toThrow(/bitrate/);
    expect(() => rtmpTarget('rtmp://h/live', 'a/b')).toThrow(/stream key/);
    expect(() => rtmpTarget('http://h/live', 'k')).toThrow(/rtmp/);
  });

  it('parses bitrates', () => {
    expect(parseKbps('3000k')).toBe(3000);
    expect(parseKbps('4.5M')).toBe(4500);
    expect(parseKbps('2500000')).toBe(2500);
  });
});
