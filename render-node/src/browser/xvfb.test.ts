/**
 * The virtual display against a real Xvfb: the screen file's header is checked, a frame is read in the frame's size,
 * nothing is left in /dev/shm, and Xvfb ends when asked (or says why it could not start). That every pixel comes out
 * in its place and as R G B is checked with Chromium drawing known colours in the corners (test/browser-source.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RGBA_OFFSET, parseXwdHeader, startXvfb, xvfbBufferBytes, type Xvfb } from './xvfb.ts';

const W = 64;
const H = 36;

/** An XWD header as Xvfb writes one (fields of X11/XWDFile.h), with `over` changing fields by index. */
function header(over: Record<number, number> = {}): Buffer {
  const f: Record<number, number> = { 0: 104, 1: 7, 2: 2, 3: 24, 4: W, 5: H, 7: 0, 11: 32, 12: W * 4, 13: 4, 14: 0xff0000, 15: 0xff00, 16: 0xff, 19: 256, ...over };
  const b = Buffer.alloc(100);
  for (const [i, v] of Object.entries(f)) b.writeUInt32BE(v, Number(i) * 4);
  return b;
}

describe('parseXwdHeader', () => {
  it('finds the pixels after the header and its colours', () => {
    expect(parseXwdHeader(header(), W, H)).toBe(104 + 256 * 12);
  });

  it('refuses a screen of another size or pixel layout, naming what differs', () => {
    expect(() => parseXwdHeader(header({ 4: W + 1 }), W, H)).toThrow(/width 65 \(want 64\)/);
    expect(() => parseXwdHeader(header({ 11: 24 }), W, H)).toThrow(/bits per pixel 24 \(want 32\)/);
    expect(() => parseXwdHeader(header({ 7: 1 }), W, H)).toThrow(/byte order 1 \(want 0\)/);
    expect(() => parseXwdHeader(header({ 1: 6 }), W, H)).toThrow(/XWD version 6/);
  });
});

describe('startXvfb', () => {
  let x: Xvfb | null = null;
  afterEach(async () => {
    await x?.stop();
    x = null;
  });

  it('starts a display whose frames read as the frame size, and leaves no file behind', async () => {
    x = await startXvfb({ width: W, height: H });
    expect(x.display).toMatch(/^:\d+$/);
    // Its screen file's folder (the argument after -fbdir) is gone already: Xvfb and we keep only open handles.
    const args = readFileSync(`/proc/${x.pid}/cmdline`, 'utf8').split('\0');
    const dir = args[args.indexOf('-fbdir') + 1]!;
    expect(dir).toMatch(/sf-xvfb-/);
    expect(existsSync(dir)).toBe(false);
    const buf = Buffer.alloc(xvfbBufferBytes(W, H), 0x55);
    expect(x.read(buf)).toBe(true);
    const rgba = buf.subarray(RGBA_OFFSET, RGBA_OFFSET + W * H * 4);
    // A new X screen is black: every pixel's R, G and B are 0 (alpha, which X does not have, is not looked at).
    const lit = [];
    for (let i = 0; i < W * H; i++) if (rgba[i * 4]! | rgba[i * 4 + 1]! | rgba[i * 4 + 2]!) lit.push(i);
    expect(lit).toEqual([]);
  });

  it('stops: its process ends, once however often asked, and nothing is read after', async () => {
    const d = await startXvfb({ width: W, height: H });
    const pid = d.pid;
    const [a, b] = [d.stop(), d.stop()];
    expect(a).toBe(b);
    await a;
    await d.stop();
    expect(d.exited).toBe(true);
    expect(d.read(Buffer.alloc(xvfbBufferBytes(W, H)))).toBe(false);
    // Ended and reaped: no process, not even a zombie.
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('says what is missing when Xvfb is not installed', async () => {
    await expect(startXvfb({ width: W, height: H, path: '/nonexistent/Xvfb' })).rejects.toThrow(/Xvfb not found \(\/nonexistent\/Xvfb\).*apt-get install xvfb/);
  });
});
