/**
 * The streams manager with the real scene, renderer and encoder, publishing to a real RTMP server
 * (node-media-server): static and room streams start, a screen change restarts, a removed stream stops, one
 * view and one render per screen per frame however many streams show it, and stop() leaves no FFmpeg behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SceneModel, createRenderer } from '../../src/scene/index.ts';
import { startStream } from '../../src/encoder/index.ts';
import { createLogger } from '../../src/service/log.ts';
import { createStreamsManager, type StreamsManager } from '../../src/service/streams-manager.ts';
import type { CreateRenderer, StartStream, StartStreamOptions } from '../../src/service/contracts.ts';
import type { Screen } from '@stream-fighter/core';
import { startRtmpSink } from './rtmp-sink.ts';
import { ffmpegChildren, pngSize, testConfig } from './support.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

let sink: Awaited<ReturnType<typeof startRtmpSink>>;
let manager: StreamsManager | null = null;
beforeAll(async () => {
  sink = await startRtmpSink();
});
afterAll(async () => {
  await manager?.stop();
  await sink?.stop();
});

describe('streams manager', () => {
  it('runs static and room streams, shares frames per screen, follows changes and stops cleanly', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger({ write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
    const model = new SceneModel();
    let views = 0;
    const scene = { advanceTo: (t: number) => (views++, model.advanceTo(t)) };
    const renders = { fight: 0, bars: 0 };
    const counting: CreateRenderer = (opts) => {
      const r = createRenderer(opts);
      return { render: (v, t) => (renders[opts.screen]++, r.render(v as Parameters<typeof r.render>[0], t)), png: () => r.png() };
    };
    const config = testConfig({ RTMP_URL: sink.url, STATIC_STREAMS: 'fight:sf-static', FPS: '15' });
    manager = createStreamsManager({ config, scene, startStream, createRenderer: counting, log });

    await until('the static stream publishing', () => sink.published.includes('/live/sf-static'), 15_000);
    await manager.setRoomStreams([
      { screenId: 'fight', streamKey: 'sf-fight2' },
      { screenId: 'bars', streamKey: 'sf-bars' },
    ]);
    await until('all three publishing', () => ['/live/sf-static', '/live/sf-fight2', '/live/sf-bars'].every((p) => sink.published.includes(p)), 15_000);
    await until('all three live', () => manager!.statuses().every((s) => s.state === 'live') && manager!.statuses().length === 3, 15_000);

    // Two fight streams and one bars stream for ~2 s: one view per frame index, one render per screen per index.
    const before = { views, fight: renders.fight, bars: renders.bars, at: Date.now() };
    await new Promise((r) => setTimeout(r, 2_000));
    const frames = ((Date.now() - before.at) / 1000) * 15;
    const d = { views: views - before.views, fight: renders.fight - before.fight, bars: renders.bars - before.bars };
    expect(d.views).toBeGreaterThan(frames * 0.5);
    expect(d.views).toBeLessThanOrEqual(frames + 3);
    // Never more renders of a screen than views, counted since the start: within the 2-s window a render may use
    // the view of an index computed just before the window opened, so the window's own counts can differ by one.
    expect(renders.fight).toBeLessThanOrEqual(views);
    expect(renders.bars).toBeLessThanOrEqual(views);
    expect(d.fight).toBeGreaterThan(frames * 0.5);

    const statuses = manager.statuses();
    expect(statuses.map((s) => [s.streamKey, s.screenId]).sort()).toEqual([['sf-bars', 'bars'], ['sf-fight2', 'fight'], ['sf-static', 'fight']]);
    for (const s of statuses) expect(s.fps).toBeGreaterThan(5);

    const png = await manager.snapshotPng();
    expect(pngSize(png)).toEqual({ width: 640, height: 360 });

    // sf-fight2 moves to the bars screen (restart), sf-bars goes away; the static stream stays.
    const fight2Published = sink.published.filter((p) => p === '/live/sf-fight2').length;
    await manager.setRoomStreams([{ screenId: 'bars', streamKey: 'sf-fight2' }]);
    // (node-media-server does not report unpublishing: the FFmpeg processes tell what is still running.)
    expect(ffmpegChildren().some((p) => p.cmd.includes('/live/sf-bars'))).toBe(false);
    await until('sf-fight2 published again', () => sink.published.filter((p) => p === '/live/sf-fight2').length > fight2Published, 15_000);
    expect(manager.statuses().map((s) => [s.streamKey, s.screenId]).sort()).toEqual([['sf-fight2', 'bars'], ['sf-static', 'fight']]);
    expect(lines.some((l) => l.event === 'stream.stopping' && /fight → bars/.test(String(l.why)))).toBe(true);

    // Stream keys never appear in full in the log.
    const out = JSON.stringify(lines);
    for (const key of ['sf-static', 'sf-fight2', 'sf-bars']) expect(out).not.toContain(key);

    expect(ffmpegChildren().length).toBe(2);
    await manager.stop();
    manager = null;
    expect(ffmpegChildren()).toEqual([]);
  });

  it('keeps going when a stream cannot start, reporting the error', async () => {
    const log = createLogger({ write: () => {} });
    const config = testConfig({ RTMP_URL: sink.url, FFMPEG_PATH: '/nonexistent/ffmpeg' });
    const m = createStreamsManager({ config, scene: new SceneModel(), startStream, createRenderer, log });
    try {
      await m.setRoomStreams([{ screenId: 'fight', streamKey: 'sf-broken' }]);
      const s = await until('an error status', () => m.statuses().find((x) => x.error), 15_000);
      expect(s).toMatchObject({ streamKey: 'sf-broken', screenId: 'fight' });
      expect(['retrying', 'error']).toContain(s.state);
      // With nothing running, the snapshot is the scene drawn on demand.
      expect(pngSize(await m.snapshotPng())).toEqual({ width: 640, height: 360 });
    } finally {
      await m.stop();
    }
  });

  it('draws each stream as its screen says, swaps a changed screen in place, and restarts only for a new size', async () => {
    // The encoder is replaced by a recorder (what the manager asks FFmpeg for, and its frames on demand); the
    // renderers are the real ones, so a frame is really drawn at the size and in the scene the screen says.
    const started: Array<{ opts: StartStreamOptions; stopped: boolean }> = [];
    const record: StartStream = (opts) => {
      const s = { opts, stopped: false };
      started.push(s);
      return {
        stats: () => ({ streamKey: opts.streamKey, state: 'live', fps: 15, speed: 1, droppedFrames: 0, restarts: 0, uptimeSec: 1 }),
        latestFrame: () => null,
        stop: async () => void (s.stopped = true),
      };
    };
    const made: Array<Parameters<CreateRenderer>[0]> = [];
    const recording: CreateRenderer = (opts) => (made.push(opts), createRenderer(opts));
    const config = testConfig({ STATIC_STREAMS: 'fight:preview', LANG: 'es' });
    const m = createStreamsManager({ config, scene: new SceneModel(), startStream: record, createRenderer: recording, log: createLogger({ write: () => {} }) });
    try {
      // The static stream: the default fight screen, in the node's own language and size.
      await until('the static stream started', () => started.length === 1, 5_000);
      expect(started[0]!.opts).toMatchObject({ streamKey: 'preview', width: 640, height: 360, bitrate: config.VIDEO_BITRATE });
      expect(started[0]!.opts.frame(0).rgba.length).toBe(640 * 360 * 4);
      expect(made.at(-1)).toMatchObject({ screen: 'fight', lang: 'es', show: { qr: true, ticker: true, shoutouts: true, chat: true } });

      const lobby: Screen = { id: 'lobby', scene: 'bars', lang: 'en', resolution: '1080p', show: { qr: false, ticker: true, shoutouts: false, chat: false } };
      await m.setRoomStreams([{ screenId: 'lobby', streamKey: 'sf-lobby', screen: lobby }]);
      const first = started.find((s) => s.opts.streamKey === 'sf-lobby')!;
      // 1080p is not this node's RESOLUTION: the standard size and bitrate for it.
      expect(first.opts).toMatchObject({ width: 1920, height: 1080, bitrate: '6000k' });
      expect(first.opts.frame(100).rgba.length).toBe(1920 * 1080 * 4);
      expect(made.at(-1)).toEqual({ width: 1920, height: 1080, lang: 'en', screen: 'bars', show: lobby.show, voteUrl: config.VOTE_URL });
      expect(m.statuses().map((s) => [s.streamKey, s.screenId]).sort()).toEqual([['preview', 'fight'], ['sf-lobby', 'lobby']]);

      // Language and parts change: the same stream goes on (no restart), drawn by a renderer with the new settings.
      const spoken = { ...lobby, lang: 'es' as const, show: { ...lobby.show, qr: true } };
      await m.setRoomStreams([{ screenId: 'lobby', streamKey: 'sf-lobby', screen: spoken }]);
      expect(started.filter((s) => s.opts.streamKey === 'sf-lobby')).toHaveLength(1);
      expect(first.stopped).toBe(false);
      first.opts.frame(200);
      expect(made.at(-1)).toMatchObject({ width: 1920, lang: 'es', screen: 'bars', show: spoken.show });

      // The resolution changes: the encoder's size changes, so the stream restarts at the node's own 720p size.
      await m.setRoomStreams([{ screenId: 'lobby', streamKey: 'sf-lobby', screen: { ...spoken, resolution: '720p' } }]);
      expect(first.stopped).toBe(true);
      const second = started.filter((s) => s.opts.streamKey === 'sf-lobby')[1]!;
      expect(second.opts).toMatchObject({ width: 640, height: 360, bitrate: config.VIDEO_BITRATE });
      expect(second.opts.frame(300).rgba.length).toBe(640 * 360 * 4);
      expect(started[0]!.stopped).toBe(false);
    } finally {
      await m.stop();
    }
  });
});
