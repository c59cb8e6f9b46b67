/**
 * A virtual display for one Chromium: Xvfb, with its screen in a memory-mapped file (`-fbdir`) that the render node
 * reads frames from. Chromium draws into it as into any X display (software compositing, no GPU), and a frame is a
 * read of that file: no encoding in Chromium, no decoding here (browser-source.ts has the measurement that chose it).
 *
 * The screen is a pixel wider and taller than the frame: with no window manager, Chromium makes a full-screen window
 * one pixel narrower and shorter than the screen (measured, Chromium 156: a 640×360 screen gives a 639×359 window),
 * so the frame is the screen's top-left corner.
 *
 * The screen file is opened and then unlinked at once: Xvfb keeps its mapping and this process its descriptor, so
 * nothing is left behind in /dev/shm however either of them ends. Xvfb runs with `-terminate`: it exits when its last
 * client (Chromium) disconnects, so a Chromium killed without us (its driver gone) takes its display with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** XWD's header (X11/XWDFile.h): 25 big-endian 32-bit fields, then the window's name, then `ncolors` 12-byte colours. */
const XWD_FIELDS = 25;
const XWD_COLOR_BYTES = 12;
const F = { headerSize: 0, version: 1, format: 2, depth: 3, width: 4, height: 5, byteOrder: 7, bitsPerPixel: 11, bytesPerLine: 12, visualClass: 13, redMask: 14, greenMask: 15, blueMask: 16, ncolors: 19 } as const;
const ZPIXMAP = 2;
const LSB_FIRST = 0;
const TRUE_COLOR = 4;
/** The screen's extra pixels right and below the frame (above). */
const MARGIN = 1;
const START_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 2_000;
/** Xvfb's own words (warnings about fonts, keymaps, lock files): the last few, for an error that says why. */
const STDERR_LINES = 8;

export interface Xvfb {
  /** For Chromium's DISPLAY: `:<n>`, the first number free on this machine. */
  display: string;
  pid: number;
  /**
   * Reads the frame into `into` (xvfbBufferBytes long) as RGBA from byte RGBA_OFFSET on: `into.subarray(1, 1 +
   * width*height*4)` is the picture; the fourth byte of each pixel is not alpha (X has none; the encoder ignores
   * it). False, and nothing read, once the display is being stopped.
   */
  read(into: Buffer): boolean;
  /** Ended on its own (Chromium gone, or it died): the display is no more. */
  readonly exited: boolean;
  /** Ends Xvfb (SIGTERM, then SIGKILL past 2 s); once, however often it is called. */
  stop(): Promise<void>;
}

/**
 * Why RGBA from byte 1: Xvfb's 24-bit TrueColor pixel is the word 0x00RRGGBB in the machine's order, so the bytes
 * are B G R 0. Byte-swapping each word (Buffer#swap32, native) makes them 0 R G B, and read from the second byte on
 * they are R G B 0 R G B 0 …: the encoder's RGBA, with no pixel loop in JavaScript (which costs several ms a frame).
 * (The last pixel's fourth byte is whatever the row read left there, not 0: nothing reads it as alpha.)
 */
export const RGBA_OFFSET = 1;

/** The bytes a buffer for `read` needs: the frame's rows as the screen has them (MARGIN wider), and slack for RGBA_OFFSET. */
export const xvfbBufferBytes = (width: number, height: number) => (width + MARGIN) * height * 4 + 4;

/** Starts Xvfb at `width`×`height`; rejects with what went wrong (not installed, did not start in time, odd screen). */
export async function startXvfb(o: { width: number; height: number; path?: string }): Promise<Xvfb> {
  // The screen file is a shared mapping: on tmpfs it is memory; on a disk it would be written back again and again.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sf-xvfb-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let child: ChildProcess;
  try {
    child = spawn(
      o.path ?? 'Xvfb',
      ['-displayfd', '3', '-screen', '0', `${o.width + MARGIN}x${o.height + MARGIN}x24`, '-fbdir', dir, '-nolisten', 'tcp', '-nocursor', '-terminate'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    removeDir();
    throw e;
  }
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n')) if (line.trim()) stderr.push(line.trim());
    stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES));
  });
  const said = () => (stderr.length ? `: ${stderr.join(' | ')}` : '');

  let display: string;
  try {
    display = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${START_TIMEOUT_MS / 1000} s${said()}`)), START_TIMEOUT_MS);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(e.code === 'ENOENT' ? new Error(`Xvfb not found (${o.path ?? 'Xvfb'}): the browser renderer needs it (Debian: apt-get install xvfb)`) : e);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited at start (${signal ?? `code ${code}`})${said()}`));
      });
      // Xvfb writes its display number here once it takes connections, the screen file made.
      (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => {
        out += d;
        if (!out.includes('\n')) return;
        clearTimeout(timer);
        const n = out.trim();
        if (/^\d+$/.test(n)) resolve(`:${n}`);
        else reject(new Error(`Xvfb said display ${JSON.stringify(n)}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    removeDir();
    throw e;
  }
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.on('error', () => {});
  let exited = false;
  /** Set by the first stop(): every later one returns the same promise, and the descriptor is closed once. */
  let stopping: Promise<void> | null = null;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  let fd: number | null = null;
  let offset: number;
  try {
    fd = openSync(join(dir, 'Xvfb_screen0'), 'r');
    offset = pixelOffset(fd, o.width + MARGIN, o.height + MARGIN);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    child.kill('SIGKILL');
    throw e;
  } finally {
    removeDir();
  }
  const screenFd = fd;
  const row = o.width * 4;
  const stride = (o.width + MARGIN) * 4;

  return {
    display,
    pid: child.pid!,
    read(into) {
      // Once stopping, the descriptor is closed (and its number may be another file's soon): nothing more is read.
      if (stopping) return false;
      // One read of the frame's rows, then each row moved left over the margin of the one before (native memmoves).
      readSync(screenFd, into, 0, stride * o.height, offset);
      for (let y = 1; y < o.height; y++) into.copyWithin(y * row, y * stride, y * stride + row);
      into.subarray(0, row * o.height).swap32();
      return true;
    },
    get exited() {
      return exited;
    },
    stop: () =>
      (stopping ??= (async () => {
        closeSync(screenFd);
        if (!exited) {
          child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
          clearTimeout(timer);
          if (!exited) child.kill('SIGKILL');
        }
      })()),
  };
}

/** Where the pixels start in Xvfb's screen file, after checking it is the screen the stream needs. */
export function pixelOffset(fd: number, width: number, height: number): number {
  const head = Buffer.alloc(XWD_FIELDS * 4);
  if (readSync(fd, head, 0, head.length, 0) !== head.length) throw new Error('Xvfb screen file: shorter than its header');
  return parseXwdHeader(head, width, height);
}

/** The pixel data's offset in an XWD file whose header is `head`; throws unless it is `width`×`height`, 32-bit B G R 0. */
export function parseXwdHeader(head: Buffer, width: number, height: number): number {
  const f = (i: number) => head.readUInt32BE(i * 4);
  const want: Array<[string, number, number]> = [
    ['format', f(F.format), ZPIXMAP],
    ['depth', f(F.depth), 24],
    ['width', f(F.width), width],
    ['height', f(F.height), height],
    ['byte order', f(F.byteOrder), LSB_FIRST],
    ['bits per pixel', f(F.bitsPerPixel), 32],
    ['bytes per line', f(F.bytesPerLine), width * 4],
    ['visual class', f(F.visualClass), TRUE_COLOR],
    ['red mask', f(F.redMask), 0xff0000],
    ['green mask', f(F.greenMask), 0xff00],
    ['blue mask', f(F.blueMask), 0xff],
  ];
  const wrong = want.filter(([, got, expected]) => got !== expected);
  if (f(F.version) !== 7 || wrong.length) {
    throw new Error(`Xvfb screen file is not the expected screen: ${wrong.map(([name, got, expected]) => `${name} ${got} (want ${expected})`).join(', ') || `XWD version ${f(F.version)}`}`);
  }
  return f(F.headerSize) + f(F.ncolors) * XWD_COLOR_BYTES;
}
