/**
 * Which screens the streams manager draws with the browser renderer: a screen that says `renderer: 'browser'`, or
 * every screen that says nothing when USE_CANVAS_RENDERER=false; a page from an origin the node does not allow is
 * never loaded (the canvas draws the screen instead); a browser renderer no stream shows any more is closed. The
 * renderers here are stand-ins that record what they were asked: Chromium itself is browser-source's test.
 */
import { describe, expect, it } from 'vitest';
import type { Screen } from '@stream-fighter/core';
import { defaultScreen } from '@stream-fighter/core';
import { SceneModel } from '../src/scene/index.ts';
import { createLogger } from '../src/service/log.ts';
import { createStreamsManager } from '../src/service/streams-manager.ts';
import type { CreateBrowserRenderer, CreateRenderer, StartStream, StartStreamOptions } from '../src/service/contracts.ts';
import { testConfig } from './service/support.ts';

const W = 640;
const H = 360;

function harness(env: Record<string, string> = {}) {
  const started: Array<{ opts: StartStreamOptions; stopped: boolean }> = [];
  const startStream: StartStream = (opts) => {
    const s = { opts, stopped: false };
    started.push(s);
    return {
      stats: () => ({ streamKey: opts.streamKey, state: 'live', fps: 30, speed: 1, droppedFrames: 0, restarts: 0, uptimeSec: 1 }),
      latestFrame: () => null,
      stop: async () => void (s.stopped = true),
    };
  };
  const canvas: Array<Parameters<CreateRenderer>[0]> = [];
  const createRenderer: CreateRenderer = (opts) => {
    canvas.push(opts);
    return { render: () => Buffer.alloc(W * H * 4, 1), png: async () => Buffer.from('canvas') };
  };
  const pages: Array<{ opts: Parameters<CreateBrowserRenderer>[0]; closed: boolean }> = [];
  const createBrowserRenderer: CreateBrowserRenderer = (opts) => {
    const p = { opts, closed: false };
    pages.push(p);
    return { render: () => Buffer.alloc(W * H * 4, 2), png: async () => Buffer.from('page'), close: async () => void (p.closed = true) };
  };
  const lines: Array<Record<string, unknown>> = [];
  const m = createStreamsManager({
    config: testConfig(env),
    scene: new SceneModel(),
    startStream,
    createRenderer,
    createBrowserRenderer,
    log: createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
  });
  /** What the stream of `key` is shown: 'canvas' or 'page' (the stand-ins fill their frames with 1 and 2). */
  const shown = (key: string) => {
    const s = started.filter((x) => x.opts.streamKey === key).at(-1);
    if (!s) throw new Error(`no stream ${key} started`);
    return s.opts.frame(performance.now() + Math.random() * 1e6).rgba[0] === 2 ? 'page' : 'canvas';
  };
  return { m, started, canvas, pages, lines, shown };
}

const screen = (id: string, extra: Partial<Screen> = {}): Screen => ({ ...defaultScreen(id), ...extra });

describe('browser screens in the streams manager', () => {
  it('draws a browser screen with the page at its url, the others on the canvas, and closes the page once unused', async () => {
    const h = harness({ EDGE_URL: 'https://sf.example' });
    try {
      const page = screen('page', { renderer: 'browser', url: 'https://sf.example/scene?room=main' });
      await h.m.setRoomStreams([
        { screenId: 'page', streamKey: 'k-page', screen: page },
        { screenId: 'fight', streamKey: 'k-fight', screen: screen('fight') },
      ]);
      expect(h.shown('k-page')).toBe('page');
      expect(h.shown('k-fight')).toBe('canvas');
      expect(h.pages.map((p) => p.opts)).toEqual([{ width: W, height: H, url: 'https://sf.example/scene?room=main' }]);
      expect(await h.m.snapshotPng()).toEqual(Buffer.from('page'));

      // A change that means nothing to a page (language, parts) keeps the same page open: a new one starts black.
      const spoken = { ...page, lang: 'es' as const, show: { ...page.show, qr: false } };
      await h.m.setRoomStreams([
        { screenId: 'page', streamKey: 'k-page', screen: spoken },
        { screenId: 'fight', streamKey: 'k-fight', screen: screen('fight') },
      ]);
      expect(h.shown('k-page')).toBe('page');
      expect(h.pages).toHaveLength(1);
      expect(h.pages[0]!.closed).toBe(false);

      // Back to the canvas: the same stream goes on, drawn by the canvas, and the page's Chromium is closed.
      await h.m.setRoomStreams([
        { screenId: 'page', streamKey: 'k-page', screen: { ...page, renderer: 'canvas' } },
        { screenId: 'fight', streamKey: 'k-fight', screen: screen('fight') },
      ]);
      expect(h.started.filter((s) => s.opts.streamKey === 'k-page')).toHaveLength(1);
      expect(h.shown('k-page')).toBe('canvas');
      await h.m.setRoomStreams([{ screenId: 'fight', streamKey: 'k-fight', screen: screen('fight') }]);
      expect(h.pages[0]!.closed).toBe(true);
    } finally {
      await h.m.stop();
    }
  });

  it('never loads a page from an origin the node does not allow: the canvas draws that screen, and the log says why', async () => {
    const h = harness({ EDGE_URL: 'https://sf.example', BROWSER_URL_ALLOW: 'https://widgets.example' });
    try {
      await h.m.setRoomStreams([
        { screenId: 'evil', streamKey: 'k-evil', screen: screen('evil', { renderer: 'browser', url: 'http://169.254.169.254/latest/meta-data' }) },
        { screenId: 'ok', streamKey: 'k-ok', screen: screen('ok', { renderer: 'browser', url: 'https://widgets.example/panel' }) },
      ]);
      expect(h.shown('k-evil')).toBe('canvas');
      expect(h.shown('k-ok')).toBe('page');
      expect(h.pages.map((p) => p.opts.url)).toEqual(['https://widgets.example/panel']);
      expect(h.lines.find((l) => l.event === 'stream.browser-url-refused')).toMatchObject({ level: 'error', screen: 'evil', origin: 'http://169.254.169.254' });
    } finally {
      await h.m.stop();
    }
  });

  it("tells the site's /scene this node's FPS when its address does not (the dashboard's addresses do not know the node)", async () => {
    const h = harness({ EDGE_URL: 'https://sf.example', FPS: '25', BROWSER_URL_ALLOW: 'https://widgets.example', RENDER_CAPACITY: '3' });
    try {
      await h.m.setRoomStreams([
        { screenId: 'a', streamKey: 'k-a', screen: screen('a', { renderer: 'browser', url: 'https://sf.example/scene?lang=es&w=640&h=360' }) },
        { screenId: 'b', streamKey: 'k-b', screen: screen('b', { renderer: 'browser', url: 'https://sf.example/scene?fps=60' }) },
        { screenId: 'c', streamKey: 'k-c', screen: screen('c', { renderer: 'browser', url: 'https://widgets.example/scene' }) },
      ]);
      // Each stream's renderer is made with its first frame.
      expect(['k-a', 'k-b', 'k-c'].map(h.shown)).toEqual(['page', 'page', 'page']);
      expect(h.pages.map((p) => p.opts.url)).toEqual([
        'https://sf.example/scene?lang=es&w=640&h=360&fps=25',
        // Said in the address: kept.
        'https://sf.example/scene?fps=60',
        // Another site's page of the same name is not ours to change.
        'https://widgets.example/scene',
      ]);
    } finally {
      await h.m.stop();
    }
    // At 30 (the page's own default) an address is opened as written.
    const h30 = harness({ EDGE_URL: 'https://sf.example' });
    try {
      await h30.m.setRoomStreams([{ screenId: 'a', streamKey: 'k-a', screen: screen('a', { renderer: 'browser', url: 'https://sf.example/scene?lang=es' }) }]);
      expect(h30.shown('k-a')).toBe('page');
      expect(h30.pages.map((p) => p.opts.url)).toEqual(['https://sf.example/scene?lang=es']);
    } finally {
      await h30.m.stop();
    }
  });

  it('with USE_CANVAS_RENDERER=false, streams BROWSER_URL on every screen that does not choose, and closes Chromium on stop', async () => {
    const h = harness({ USE_CANVAS_RENDERER: 'false', BROWSER_URL: 'http://127.0.0.1:8080/scene', STATIC_STREAMS: 'fight:k-static' });
    try {
      await h.m.setRoomStreams([{ screenId: 'canvas', streamKey: 'k-canvas', screen: screen('canvas', { renderer: 'canvas' }) }]);
      expect(h.shown('k-static')).toBe('page');
      expect(h.shown('k-canvas')).toBe('canvas');
      expect(h.pages.map((p) => p.opts.url)).toEqual(['http://127.0.0.1:8080/scene']);
    } finally {
      await h.m.stop();
    }
    expect(h.pages.every((p) => p.closed)).toBe(true);
  });

  it('keeps the canvas the default; switched off, it streams the site\'s /scene unless BROWSER_URL names a page', () => {
    expect(testConfig().USE_CANVAS_RENDERER).toBe(true);
    expect(testConfig({ USE_CANVAS_RENDERER: 'false', EDGE_URL: 'https://sf.example/api', LANG: 'es' }).BROWSER_URL).toBe('https://sf.example/scene?lang=es');
    expect(testConfig({ VOTE_URL: 'https://vote.example/v', ROOM: 'side' }).BROWSER_URL).toBe('https://vote.example/scene?lang=en&room=side');
    expect(testConfig({ VOTE_URL: 'https://vote.example/v', FPS: '60' }).BROWSER_URL).toBe('https://vote.example/scene?lang=en&fps=60');
    expect(testConfig({ BROWSER_URL: 'https://widgets.example/panel' }).BROWSER_URL).toBe('https://widgets.example/panel');
    expect(() => testConfig({ USE_CANVAS_RENDERER: 'nope', BROWSER_URL: 'http://x.test/' })).toThrow(/USE_CANVAS_RENDERER must be true or false/);
    const c = testConfig({ EDGE_URL: 'https://sf.example/api', VOTE_URL: 'https://vote.example/v', BROWSER_URL_ALLOW: 'https://a.example/x, http://b.example:8080' });
    expect(c.BROWSER_URL_ALLOW).toEqual(['https://sf.example', 'https://vote.example', 'https://a.example', 'http://b.example:8080']);
  });
});
