/**
 * The one place FFmpeg is spawned. Frames go in on stdin, PCM on fd 3; progress comes out on stdout and
 * warnings on stderr. Every way the child can end resolves `exited` (it never rejects), so a dead FFmpeg is an
 * event for the supervisor, never an unhandled rejection or an EPIPE crash.
 */
import type { Writable } from 'node:stream';
import { execa } from 'execa';
import { AUDIO_FD, FFMPEG_ENV } from './ffmpeg-args.ts';
import { createProgressParser, type FfmpegProgress } from './progress.ts';

export interface FfmpegExit {
  code: number | null;
  signal: string | null;
  /** Last lines FFmpeg wrote to stderr: the reason it died, usually. */
  stderrTail: string[];
}

export interface FfmpegProcess {
  readonly pid: number | undefined;
  /** Resolves true once the kernel has the bytes, false if FFmpeg is gone (the frame is lost, not queued). */
  writeVideo(chunk: Uint8Array): Promise<boolean>;
  writeAudio(chunk: Uint8Array): Promise<boolean>;
  readonly exited: Promise<FfmpegExit>;
  /** Close the inputs so FFmpeg flushes and exits, then SIGTERM, then SIGKILL. Resolves when it is gone. */
  stop(graceMs?: number): Promise<FfmpegExit>;
  /** SIGKILL now (stalls, errors); `exited` still resolves. */
  kill(): void;
}

export interface SpawnOptions {
  onProgress?: (p: FfmpegProgress) => void;
  onStderrLine?: (line: string) => void;
}

const STDERR_TAIL = 20;

export function spawnFfmpeg(ffmpegPath: string, args: readonly string[], opts: SpawnOptions = {}): FfmpegProcess {
  const child = execa(ffmpegPath, args, {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    // We read stdout/stderr ourselves as they come; buffering them would grow for weeks.
    buffer: false,
    reject: false,
    // Kill the child if Node itself exits.
    cleanup: true,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: 3000,
    // Added to the inherited environment: glibc's malloc settings for the frame packets (ffmpeg-args.ts says why).
    env: { ...FFMPEG_ENV },
  });

  const stderrTail: string[] = [];
  let exitedAlready = false;
  /** Writes in flight; an exit settles them all as failed (a dead FFmpeg never drains, so nothing else would). */
  const pending = new Set<(ok: boolean) => void>();
  const exited = new Promise<FfmpegExit>((resolve) => {
    const done = (code: number | null, signal: string | null) => {
      if (exitedAlready) return;
      exitedAlready = true;
      for (const settle of pending) settle(false);
      resolve({ code, signal, stderrTail: stderrTail.slice() });
    };
    child.once('exit', (code, signal) => done(code, signal));
    // Spawn failures (ENOENT, EACCES) never emit 'exit'; the execa promise reports them.
    child.then(
      (r) => {
        if (r.failed && r.exitCode === undefined && !r.signal) stderrTail.push(r.originalMessage || r.shortMessage || 'ffmpeg failed to start');
        done(r.exitCode ?? null, r.signal ?? null);
      },
      (err: unknown) => {
        stderrTail.push(String(err));
        done(null, null);
      },
    );
  });

  const parse = createProgressParser((p) => opts.onProgress?.(p));
  child.stdout?.on('data', (d: Buffer) => parse(d.toString('latin1')));
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split(/\r?\n|\r/);
    partial = (lines.pop() ?? '').slice(-2000);
    for (const line of lines) {
      if (!line.trim()) continue;
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      opts.onStderrLine?.(line);
    }
  });

  const stdin = child.stdin as Writable | null;
  // fd 3 is a socket in both directions; nothing comes back on it, but reading lets its end be seen.
  const audio = child.stdio[AUDIO_FD] as unknown as (Writable & { resume?: () => void }) | undefined;
  audio?.resume?.();
  // EPIPE/ECONNRESET arrive here when FFmpeg dies mid-write; the write callback already reported it.
  for (const s of [stdin, audio, child.stdout, child.stderr]) s?.on('error', () => {});

  const write = (stream: Writable | null | undefined, chunk: Uint8Array) => {
    if (!stream || exitedAlready || stream.destroyed || !stream.writable) return Promise.resolve(false);
    // Not Promise.race with `exited`: that would hang one reaction per write on a promise that may stay
    // pending for weeks, a leak of millions of closures a day.
    return new Promise<boolean>((resolve) => {
      const settle = (ok: boolean) => {
        pending.delete(settle);
        resolve(ok);
      };
      pending.add(settle);
      stream.write(chunk, (err) => settle(!err));
    });
  };

  const kill = () => {
    if (!exitedAlready) child.kill('SIGKILL');
  };

  const stop = async (graceMs = 3000): Promise<FfmpegExit> => {
    stdin?.end();
    audio?.end();
    const timer = setTimeout(() => {
      if (exitedAlready) return;
      child.kill('SIGTERM');
      setTimeout(kill, graceMs).unref();
    }, graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
      // Our ends of the pipes go too, so nothing keeps the event loop alive.
      for (const s of [stdin, audio, child.stdout, child.stderr]) s?.destroy();
    }
  };

  // Whatever ends the child, release our ends of its pipes.
  void exited.then(() => {
    for (const s of [stdin, audio]) s?.destroy();
  });

  return {
    pid: child.pid,
    writeVideo: (chunk) => write(stdin, chunk),
    writeAudio: (chunk) => write(audio, chunk),
    exited,
    stop,
    kill,
  };
}
