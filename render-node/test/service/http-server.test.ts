/**
 * The HTTP surface over real requests: /health, /metrics as Prometheus text with the expected families, and
 * /snapshot.png as a real PNG — drawn on demand with no stream, then from a live stream's renderer.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SceneModel, createRenderer } from '../../src/scene/index.ts';
import { startStream } from '../../src/encoder/index.ts';
import { startHttpServer, type HttpServer } from '../../src/service/http-server.ts';
import { createLogger, maskKey } from '../../src/service/log.ts';
import { createStreamsManager, type StreamsManager } from '../../src/service/streams-manager.ts';
import { freePort } from './edge-stack.ts';
import { startRtmpSink } from './rtmp-sink.ts';
import { pngSize, testConfig } from './support.ts';
import { until } from '@stream-fighter/devstack/test-support/until';

let sink: Awaited<ReturnType<typeof startRtmpSink>>;
let manager: StreamsManager;
let http: HttpServer;
let connected = false;
const KEY = 'sf-http-test-key-0001';

beforeAll(async () => {
  sink = await startRtmpSink();
  const log = createLogger({ write: () => {} });
  manager = createStreamsManager({ config: testConfig({ RTMP_URL: sink.url }), scene: new SceneModel(), startStream, createRenderer, log });
  http = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    log,
    sample: () => ({ streams: manager.statuses(), room: { connected, lagSeconds: connected ? 0.25 : null } }),
    snapshotPng: () => manager.snapshotPng(),
    notLive: () => manager.notLive(),
  });
});
afterAll(async () => {
  await http?.close();
  await manager?.stop();
  await sink?.stop();
});

/** Prometheus text format 0.0.4, line by line: HELP/TYPE comments and `name{labels} value` samples. */
function parsePrometheus(text: string): Map<string, { type: string; samples: Array<{ labels: Record<string, string>; value: number }> }> {
  const families = new Map<string, { type: string; samples: Array<{ labels: Record<string, string>; value: number }> }>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line))) continue;
    if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      expect(families.has(m[1]!), `TYPE twice for ${m[1]}`).toBe(false);
      families.set(m[1]!, { type: m[2]!, samples: [] });
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    expect(m, `not a valid sample line: ${line}`).not.toBeNull();
    const family = families.get(m![1]!);
    expect(family, `sample before its TYPE: ${line}`).toBeDefined();
    const labels: Record<string, string> = {};
    for (const l of (m![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    family!.samples.push({ labels, value: Number(m![3]!.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')) });
  }
  return families;
}

const get = (path: string) => fetch(`${http.url}${path}`, { signal: AbortSignal.timeout(10_000) });

describe('render node HTTP', () => {
  it('answers /health with the room and no streams, and /snapshot.png with the scene drawn on demand', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ ok: true, room: { connected: false, lagSeconds: null }, streams: [] });

    const png = await get('/snapshot.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 640, height: 360 });
  });

  it('serves Prometheus metrics per stream once one runs, with masked keys', async () => {
    connected = true;
    await manager.setRoomStreams([{ screenId: 'bars', streamKey: KEY }]);
    await until('the stream live', () => manager.statuses()[0]?.state === 'live', 15_000);

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).not.toContain(KEY);
    const m = parsePrometheus(text);
    const expected: Record<string, string> = {
      sf_render_stream_fps: 'gauge',
      sf_render_stream_dropped_frames_total: 'counter',
      sf_render_stream_encoder_speed: 'gauge',
      sf_render_stream_restarts_total: 'counter',
      sf_render_stream_uptime_seconds: 'gauge',
      sf_render_stream_state: 'gauge',
      sf_render_streams: 'gauge',
      sf_render_room_connected: 'gauge',
      sf_render_room_lag_seconds: 'gauge',
      process_resident_memory_bytes: 'gauge',
      sf_render_uptime_seconds: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect(m.get(name)?.type, name).toBe(type);
    const labels = { stream: maskKey(KEY), screen: 'bars' };
    expect(m.get('sf_render_stream_fps')!.samples).toEqual([{ labels, value: expect.any(Number) }]);
    expect(m.get('sf_render_stream_state')!.samples.find((s) => s.value === 1)?.labels).toEqual({ ...labels, state: 'live' });
    expect(m.get('sf_render_stream_state')!.samples).toHaveLength(5);
    expect(m.get('sf_render_room_connected')!.samples[0]!.value).toBe(1);
    expect(m.get('sf_render_room_lag_seconds')!.samples[0]!.value).toBe(0.25);
    expect(m.get('process_resident_memory_bytes')!.samples[0]!.value).toBeGreaterThan(10_000_000);

    const health = (await (await get('/health')).json()) as { streams: Array<{ streamKey: string; state: string; screenId: string }> };
    expect(health.streams).toEqual([expect.objectContaining({ streamKey: maskKey(KEY), state: 'live', screenId: 'bars' })]);

    const png = await get('/snapshot.png');
    expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: 640, height: 360 });
  });

  it('answers unknown paths and methods with JSON errors', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not-found' } });
    const post = await fetch(`${http.url}/health`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('/health when a stream is not live', () => {
  it('answers 503 naming the stream and why once a wanted stream has not been live for HEALTH_NOT_LIVE_SEC, 200 once it is', async () => {
    const port = await freePort();
    const key = 'sf-health-test-key-0002';
    const log = createLogger({ write: () => {} });
    // The stream points at a receiver that is not there yet.
    const config = testConfig({ RTMP_URL: `rtmp://127.0.0.1:${port}/live`, HEALTH_NOT_LIVE_SEC: '3', FPS: '10' });
    const m = createStreamsManager({ config, scene: new SceneModel(), startStream, createRenderer, log });
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      log,
      sample: () => ({ streams: m.statuses(), room: { connected: true, lagSeconds: 0 } }),
      snapshotPng: () => m.snapshotPng(),
      notLive: () => m.notLive(),
    });
    const health = async () => {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    let sink: Awaited<ReturnType<typeof startRtmpSink>> | null = null;
    try {
      await m.setRoomStreams([{ screenId: 'fight', streamKey: key }]);
      // Not live yet, but within the grace a starting stream has.
      expect(await health()).toMatchObject({ status: 200, body: { ok: true } });

      await vi.waitFor(async () => expect((await health()).status, '/health to turn 503').toBe(503), { timeout: 8000, interval: 200 });
      const { body } = await health();
      expect(body).toMatchObject({
        ok: false,
        status: 'degraded',
        degraded: [
          {
            streamKey: maskKey(key),
            screenId: 'fight',
            state: 'retrying',
            notLiveSec: expect.any(Number),
            reason: expect.stringMatching(/^not live for \d+ s \(retrying\): .*(ECONNREFUSED|Connection refused)/),
          },
        ],
      });
      expect((body.degraded as Array<{ notLiveSec: number }>)[0]!.notLiveSec).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(body)).not.toContain(key);

      // The receiver comes up: the stream goes live and /health is 200 again.
      sink = await startRtmpSink(port);
      await until('the stream live', () => m.statuses()[0]?.state === 'live', 15_000);
      expect(await health()).toMatchObject({ status: 200, body: { ok: true } });
      expect((await health()).body.degraded).toBeUndefined();

      // It goes away again: 200 for the grace, then 503, counted from when the stream was last live.
      await sink.stop();
      sink = null;
      await until('the stream no longer live', () => m.statuses()[0]?.state !== 'live', 10_000);
      expect((await health()).status).toBe(200);
      await vi.waitFor(async () => expect((await health()).status, '/health to turn 503 again').toBe(503), { timeout: 8000, interval: 200 });
    } finally {
      await server.close();
      await m.stop();
      await sink?.stop();
    }
  }, 60_000);
});
