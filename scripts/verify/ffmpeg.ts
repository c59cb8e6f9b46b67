/**
 * Running FFmpeg and FFprobe with a bound on everything: a child that outlives its time limit is killed, a live
 * decoder hands over whole frames with the time each one came out of the pipe, and every child is stopped by
 * `stopAll` (the scripts call it in `finally` and on signals).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { liveDecodeArgs, pngArgs, probeArgs, type Crop } from './args.ts';
import { Wakeups } from './wakeups.ts';

const running = new Set<ChildProcess>();

/** FFmpeg's last word (its stderr's last non-empty line) is usually the one that says what went wrong. */
export function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.slice(0, 240) ?? '';
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  // A child that dies early turns our writes into EPIPE: that is reported through its exit, never thrown.
  child.stdin?.on('error', () => {});
  return child;
}

export function stopAll(): void {
  for (const c of running) c.kill('SIGKILL');
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command to its end or until `timeoutMs`, whichever comes first (then SIGKILL). Never rejects on exit codes. */
export function run(cmd: string, args: string[], timeoutMs: number, input?: Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    const out: Buffer[] = [];
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 20_000) err += d.toString();
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err.trim(), timedOut });
    });
    if (input) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

export async function ffprobeJson(url: string, seconds: number, fps: number, timeoutMs: number): Promise<unknown> {
  const r = await run('ffprobe', probeArgs(url, seconds, fps), timeoutMs);
  if (r.timedOut) throw new Error(`ffprobe gave no answer within ${timeoutMs / 1000} s${r.stderr ? `: ${lastLine(r.stderr)}` : ''}`);
  if (r.code !== 0) throw new Error(`ffprobe exited ${r.code}: ${lastLine(r.stderr) || 'no output'}`);
  return JSON.parse(r.stdout.toString()) as unknown;
}

export async function writePng(rgb: Uint8Array, width: number, height: number, out: string): Promise<void> {
  const r = await run('ffmpeg', pngArgs(width, height, out), 10_000, Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength));
  if (r.code !== 0) throw new Error(`ffmpeg could not write ${out}: ${r.stderr.slice(0, 200)}`);
}

/** One decoded picture (RGB24, cropped) and when it came out of the decoder's pipe (performance.now()). */
export interface DecodedFrame {
  n: number;
  at: number;
  rgb: Uint8Array;
  width: number;
  height: number;
}

export interface LiveDecoder {
  /** Frames so far, the last few seconds of them (older ones are dropped to bound memory). */
  readonly frames: DecodedFrame[];
  readonly count: number;
  readonly exited: boolean;
  readonly stderr: string;
  /** The first frame at or after index `from` that `match` accepts, within `timeoutMs`. */
  waitFor(match: (f: DecodedFrame) => boolean, timeoutMs: number, fromCount?: number): Promise<DecodedFrame | null>;
  stop(): void;
}

/**
 * A live decoder on `url`: frames are cut from the pipe at exact picture size and kept for `keepMs`. The time
 * stamped on a frame is when its last byte was read, on the same clock as the votes' timings.
 */
export function startDecoder(url: string, crop: Crop, opts: { keepMs?: number; onFrame?: (f: DecodedFrame) => void } = {}): LiveDecoder {
  const frameBytes = crop.w * crop.h * 3;
  const keepMs = opts.keepMs ?? 6_000;
  const child = track(spawn('ffmpeg', liveDecodeArgs(url, crop), { stdio: ['ignore', 'pipe', 'pipe'] }));
  const frames: DecodedFrame[] = [];
  const wakeups = new Wakeups();
  let count = 0;
  let exited = false;
  let stderr = '';
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  child.stdout!.on('data', (chunk: Buffer) => {
    const at = performance.now();
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < frameBytes) return;
    let buf = Buffer.concat(pending);
    while (buf.length >= frameBytes) {
      const f: DecodedFrame = { n: count++, at, rgb: new Uint8Array(buf.subarray(0, frameBytes)), width: crop.w, height: crop.h };
      buf = buf.subarray(frameBytes);
      frames.push(f);
      opts.onFrame?.(f);
    }
    pending = buf.length ? [buf] : [];
    pendingBytes = buf.length;
    while (frames.length > 2 && at - frames[0]!.at > keepMs) frames.shift();
    wakeups.wake();
  });
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4_000) stderr += d.toString();
  });
  child.once('exit', () => {
    exited = true;
    wakeups.wake();
  });
  child.once('error', (e) => {
    stderr += String(e);
    exited = true;
    wakeups.wake();
  });

  return {
    frames,
    get count() {
      return count;
    },
    get exited() {
      return exited;
    },
    get stderr() {
      return stderr.trim();
    },
    async waitFor(match, timeoutMs, fromCount = 0) {
      const deadline = performance.now() + timeoutMs;
      let checked = fromCount;
      for (;;) {
        for (const f of frames) {
          if (f.n < checked) continue;
          checked = f.n + 1;
          if (match(f)) return f;
        }
        const left = deadline - performance.now();
        if (left <= 0 || exited) return null;
        await wakeups.sleep(left);
      }
    },
    stop() {
      child.kill('SIGKILL');
    },
  };
}
