/**
 * Prometheus text exposition (format 0.0.4) of what the render node knows: per stream fps, dropped frames,
 * encoder speed, restarts, uptime and state; the room link; the process's memory. Stream labels carry the
 * masked key, never the key itself.
 */
import type { ManagedStatus } from './streams-manager.ts';
import { maskKey } from './log.ts';

export interface MetricsSample {
  streams: ManagedStatus[];
  room: { connected: boolean; lagSeconds: number | null };
  rssBytes: number;
  uptimeSeconds: number;
}

const STATES: ManagedStatus['state'][] = ['starting', 'live', 'retrying', 'stopped', 'error'];

export function renderMetrics(m: MetricsSample): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[labels: Record<string, string>, value: number]>) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) out.push(`${name}${labelText(labels)} ${formatValue(value)}`);
  };
  const per = (pick: (s: ManagedStatus) => number) => m.streams.map((s): [Record<string, string>, number] => [{ stream: maskKey(s.streamKey), screen: s.screenId }, pick(s)]);

  family('sf_render_stream_fps', 'gauge', 'Frames per second the encoder is producing.', per((s) => s.fps));
  family('sf_render_stream_dropped_frames_total', 'counter', 'Frames dropped because rendering or encoding fell behind.', per((s) => s.droppedFrames));
  family('sf_render_stream_encoder_speed', 'gauge', 'FFmpeg encoding speed (1 = real time).', per((s) => s.speed));
  family('sf_render_stream_restarts_total', 'counter', 'Times the stream\'s FFmpeg was restarted.', per((s) => s.restarts));
  family('sf_render_stream_uptime_seconds', 'gauge', 'Seconds since the stream\'s current FFmpeg started.', per((s) => s.uptimeSec));
  family(
    'sf_render_stream_state',
    'gauge',
    'Stream state: 1 for the current state, 0 for the others.',
    m.streams.flatMap((s) => STATES.map((st): [Record<string, string>, number] => [{ stream: maskKey(s.streamKey), screen: s.screenId, state: st }, s.state === st ? 1 : 0])),
  );
  family('sf_render_streams', 'gauge', 'Streams this node is running.', [[{}, m.streams.length]]);
  family('sf_render_room_connected', 'gauge', '1 while the room subscription is connected.', [[{}, m.room.connected ? 1 : 0]]);
  family('sf_render_room_lag_seconds', 'gauge', 'Receive time minus server time of the latest snapshot (NaN before the first).', [[{}, m.room.lagSeconds ?? Number.NaN]]);
  family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [[{}, m.rssBytes]]);
  family('sf_render_uptime_seconds', 'gauge', 'Seconds since the render node started.', [[{}, m.uptimeSeconds]]);
  return out.join('\n') + '\n';
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
