/**
 * The browser source as the render node runs it, in a worker thread (src/browser/worker-browser-source.ts), against
 * a real Chromium and a local page: frames cross from the worker at the stream's rate and every buffer the frame
 * loop holds stays whole until its next call; a renderer killed in the worker's Chromium is back within 5 s while
 * the last picture is held; a worker that dies is replaced and its Chromium ended; /snapshot.png's PNG is the page;
 * close ends the worker and its Chromium, and removes its profile.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { descendants } from '@stream-fighter/devstack/stack/process-tree';
import { until } from '@stream-fighter/devstack/test-support/until';
import { chromiumLaunch } from '../src/browser/chromium.ts';
import { startPageServer, type PageServer } from '../src/browser/testing/page-server.ts';
import { createWorkerBrowserSource, type WorkerBrowserSource } from '../src/browser/worker-browser-source.ts';

const W = 640;
const H = 360;
const BG = [40, 160, 60] as const;
/** Below the moving box (top 10–30 %): always the background. */
const probeAt = (rgba: Uint8Array, w = W, h = H) => [...rgba.subarray((Math.round(h * 0.8) * w + w / 2) * 4, (Math.round(h * 0.8) * w + w / 2) * 4 + 3)];
const isBackground = (px: number[]) => px.every((v, i) => Math.abs(v - BG[i]!) < 24);
const chromiumRenderers = () => descendants(process.pid).filter((p) => /chrom/i.test(p.cmd) && p.cmd.includes('--type=renderer'));
const chromiums = () => descendants(process.pid).filter((p) => /chrom/i.test(p.cmd));

describe('the browser source in a worker thread', () => {
  let server: PageServer;
  let source: WorkerBrowserSource;
  const events: string[] = [];

  beforeAll(async () => {
    server = await startPageServer();
    source = createWorkerBrowserSource({
      url: `${server.url}?bg=${BG.join(',')}`,
      width: W,
      height: H,
      fps: 30,
      launch: chromiumLaunch(process.env),
      log: (event) => events.push(event),
    });
    await until('the first frame of the page from the worker', () => source.stats().framesIn > 0, 20_000);
    await until('a frame to reach this thread', () => isBackground(probeAt(source.frame(performance.now()).rgba)), 5_000);
  }, 30_000);

  afterAll(async () => {
    await source?.close();
    await server?.close();
  });

  it('hands over the page at the stream rate, and each buffer stays whole until the next call', async () => {
    const from = source.stats().framesIn;
    const t0 = performance.now();
    let moves = 0;
    let last: ArrayBufferLike | null = null;
    // The frame loop's pattern: one call a slot; what a call returned is read (written to FFmpeg) up to the next.
    for (let i = 0; i < 90; i++) {
      const { rgba } = source.frame(performance.now());
      expect(rgba.byteLength).toBe(W * H * 4);
      expect(isBackground(probeAt(rgba)), `background pixel ${probeAt(rgba).join(',')} at call ${i}`).toBe(true);
      if (rgba.buffer !== last) moves++;
      last = rgba.buffer;
      await new Promise((r) => setTimeout(r, 33));
      // Frames kept coming meanwhile: the buffer handed out is still whole, and still the page, until the next call.
      expect(rgba.byteLength, `buffer of call ${i} after a slot`).toBe(W * H * 4);
      expect(isBackground(probeAt(rgba))).toBe(true);
    }
    const rate = ((source.stats().framesIn - from) * 1000) / (performance.now() - t0);
    console.log(`worker frames in: ${rate.toFixed(1)} fps; new frames over 90 calls: ${moves}`);
    // 30 on a quiet machine; the shared 2-core VM under load gets 25–30. Half is the floor of a working capture.
    expect(rate).toBeGreaterThan(15);
    // New frames reached this thread throughout (each arrives as a buffer moved over: a new object, the same memory).
    expect(moves).toBeGreaterThan(30);
  });

  it('serves /snapshot.png from the newest frame', async () => {
    const png = await source.png();
    const img = await loadImage(png);
    expect([img.width, img.height]).toEqual([W, H]);
    const ctx = createCanvas(W, H).getContext('2d');
    ctx.drawImage(img, 0, 0);
    expect(isBackground(probeAt(new Uint8Array(ctx.getImageData(0, 0, W, H).data.buffer)))).toBe(true);
  });

  it('brings a page whose renderer was killed back within 5 s, holding the last picture meanwhile', async () => {
    const before = source.stats().pagesOpened;
    const renderers = chromiumRenderers();
    expect(renderers.length, 'renderer processes of the worker\'s Chromium').toBeGreaterThan(0);
    for (const r of renderers) process.kill(r.pid, 'SIGKILL');
    const t0 = performance.now();
    let black = 0;
    await until(
      'the page back after its renderer was killed',
      () => {
        if (!isBackground(probeAt(source.frame(performance.now()).rgba))) black++;
        return source.stats().pagesOpened > before;
      },
      5_000,
    );
    const framesAt = source.stats().framesIn;
    await until('frames from the reopened page', () => source.stats().framesIn > framesAt + 10, 5_000);
    console.log(`page back after ${Math.round(performance.now() - t0)} ms`);
    expect(black).toBe(0);
    expect(events).toContain('browser.page-restart');
  });

  it('starts a new worker when its worker dies, and ends the Chromium the dead one left', async () => {
    const pid = source.stats().browserPid;
    expect(pid, "the worker's Chromium pid").not.toBeNull();
    const before = source.stats();
    await source.worker().terminate();
    let black = 0;
    // Killed, it may stay a zombie: nobody is left to reap it, as its spawner was the ended thread's event loop.
    await until('the Chromium of the ended worker gone', () => !descendants(process.pid).some((p) => p.pid === pid && p.state !== 'Z'), 5_000);
    await until(
      'frames from the new worker',
      () => {
        if (!isBackground(probeAt(source.frame(performance.now()).rgba))) black++;
        return source.stats().framesIn > before.framesIn + 10 && source.stats().browserPid !== null;
      },
      20_000,
    );
    expect(source.stats().browserPid).not.toBe(pid);
    expect(source.stats().pagesOpened).toBeGreaterThan(before.pagesOpened);
    expect(black).toBe(0);
    expect(events).toEqual(expect.arrayContaining(['browser.worker-restart', 'browser.orphan-killed']));
  });

  it('ends the worker and its Chromium when closed, and leaves no profile behind', async () => {
    expect(chromiums().length).toBeGreaterThan(0);
    const profiles = new Set(chromiums().map((p) => /--user-data-dir=(\S+)/.exec(p.cmd)?.[1]).filter((d): d is string => d !== undefined));
    expect(profiles.size, 'the running Chromium’s profile').toBe(1);
    await source.close();
    // Removed before the worker says it has closed: the thread is ended right after, and its work with it.
    for (const dir of profiles) expect(existsSync(dir), `${dir} after close()`).toBe(false);
    await until('no Chromium left under this process', () => chromiums().length === 0, 10_000);
  });
});
