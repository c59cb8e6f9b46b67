/** The render node's status server: health (connected to the room, streams live), Prometheus metrics, a snapshot. */
import { performance } from 'node:perf_hooks';
import type { VerifyConfig } from './config.ts';
import { request, requestBytes, sleep } from './http.ts';
import { parsePrometheus } from './metrics.ts';
import { assert } from './report.ts';
import type { Check } from './run-checks.ts';
import { ms } from './stats.ts';

/** The render node's longest room reconnection backoff (15 s) and some slack. */
const ROOM_CONNECT_WAIT_MS = 20_000;

const renderOff = (cfg: VerifyConfig) => () => (cfg.VERIFY_RENDER_URL ? undefined : 'VERIFY_RENDER_URL is off');

export function renderHealth(cfg: VerifyConfig): Check {
  return {
    name: 'render /health',
    // A render node that started before its edge, or lost it, retries the room with a backoff of up to 15 s
    // (render-node/src/service/room-client.ts); a deployment check gives it that long to be back.
    timeoutMs: ROOM_CONNECT_WAIT_MS + 10_000,
    skip: renderOff(cfg),
    async run() {
      const start = performance.now();
      for (;;) {
        const r = await request(`${cfg.VERIFY_RENDER_URL}/health`, { timeoutMs: 8_000 });
        const b = r.body as { ok?: boolean; room?: { connected?: boolean; lagSeconds?: number | null }; streams?: Array<{ state?: string; fps?: number; streamKey?: string; screenId?: string }>; eventLoopDelayMaxMs?: number };
        assert(r.status === 200 && b.ok === true, `${r.status} ${r.text.slice(0, 200)}`);
        const waited = performance.now() - start;
        if (b.room?.connected !== true && waited < ROOM_CONNECT_WAIT_MS) {
          await sleep(250);
          continue;
        }
        assert(b.room?.connected === true, `the render node is not connected to the room after ${ms(waited)}: ${JSON.stringify(b.room)}`);
        const streams = b.streams ?? [];
        const live = streams.filter((s) => s.state === 'live');
        assert(live.length > 0, `no live stream: ${JSON.stringify(streams).slice(0, 200)}`);
        const after = waited >= 250 ? ` after ${ms(waited)}` : '';
        return `room connected${after} (lag ${b.room.lagSeconds ?? '?'} s), ${live.length}/${streams.length} streams live (${live.map((s) => `${s.fps ?? '?'} fps`).join(', ')}), event loop max ${b.eventLoopDelayMaxMs ?? '?'} ms`;
      }
    },
  };
}

export function renderMetrics(cfg: VerifyConfig): Check {
  return {
    name: 'render /metrics',
    timeoutMs: 10_000,
    skip: renderOff(cfg),
    async run() {
      const r = await request(`${cfg.VERIFY_RENDER_URL}/metrics`, { timeoutMs: 8_000 });
      assert(r.status === 200, `${r.status}`);
      const samples = parsePrometheus(r.text);
      const need = ['sf_render_streams', 'sf_render_room_connected', 'sf_render_stream_fps', 'sf_render_stream_state', 'process_resident_memory_bytes'];
      const missing = need.filter((n) => !samples.some((s) => s.name === n));
      assert(missing.length === 0, `missing ${missing.join(', ')}`);
      const connected = samples.find((s) => s.name === 'sf_render_room_connected')!.value;
      const fps = samples.filter((s) => s.name === 'sf_render_stream_fps').map((s) => s.value);
      assert(connected === 1, `sf_render_room_connected ${connected}`);
      assert(fps.some((f) => f >= cfg.VERIFY_FPS * 0.9), `no stream at ≥ 90% of ${cfg.VERIFY_FPS} fps: ${fps.join(', ')}`);
      const rss = samples.find((s) => s.name === 'process_resident_memory_bytes')!.value;
      return `${samples.length} samples parse; room connected, stream fps ${fps.map((f) => f.toFixed(1)).join(', ')}, rss ${Math.round(rss / 2 ** 20)} MiB`;
    },
  };
}

export function renderSnapshot(cfg: VerifyConfig): Check {
  return {
    name: 'render /snapshot.png',
    timeoutMs: 10_000,
    skip: renderOff(cfg),
    async run() {
      const r = await requestBytes(`${cfg.VERIFY_RENDER_URL}/snapshot.png`, 8_000);
      assert(r.status === 200, `${r.status}`);
      assert(r.type.startsWith('image/png'), `content-type ${r.type}`);
      assert(r.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'not a PNG');
      const w = r.bytes.readUInt32BE(16);
      const h = r.bytes.readUInt32BE(20);
      assert(w === cfg.width && h === cfg.height, `${w}x${h}, expected ${cfg.width}x${cfg.height}`);
      return `PNG ${w}x${h}, ${Math.round(r.bytes.length / 1024)} KiB`;
    },
  };
}
