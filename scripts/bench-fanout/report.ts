/** The figures, as one table: a row per viewer count, the systems side by side. */
import { fmt, quantile, table } from '@stream-fighter/edge/bench/stats.ts';
import type { Measurement } from './measure.ts';

export interface Row {
  viewers: number;
  /** One cell group per system label; an error message when the measurement failed. */
  bySystem: Map<string, Measurement | string>;
}

function cells(m: Measurement | string | undefined): string[] {
  if (m === undefined) return ['-', '-', '-', '-', '-', '-'];
  if (typeof m === 'string') return ['failed', '', '', '', '', ''];
  const l = m.latencies;
  const t = m.traffic;
  const perViewerPerS = t.updates / m.viewers / m.seconds;
  const missed = m.missed > 0 ? ` (${m.missed} missed)` : '';
  return [
    `${fmt(quantile(l, 0.5), 0)} / ${fmt(quantile(l, 0.95), 0)} / ${fmt(l.at(-1) ?? Number.NaN, 0)}${missed}`,
    fmt(t.updates ? t.updateBytes / t.updates : Number.NaN, 0),
    fmt(perViewerPerS, 1),
    fmt((t.updateBytes + t.otherBytes) / m.seconds / 1e6, 2),
    // What one message to one viewer costs the server, in CPU (not wall) time: the same whatever else runs.
    fmt(t.updates + t.other > 0 ? (m.serverCpuMs * 1000) / (t.updates + t.other) : Number.NaN, 1),
    `${fmt(m.harnessBusy * 100, 0)}%`,
  ];
}

export function render(rows: Row[], systems: string[]): string {
  const header = ['viewers', ...systems.flatMap((s) => [`${s}: p50 / p95 / max ms`, 'B/update', 'updates/s/viewer', 'MB/s out', 'server CPU µs/message', 'harness busy'])];
  const body = rows.map((r) => [String(r.viewers), ...systems.flatMap((s) => cells(r.bySystem.get(s)))]);
  const failures = rows.flatMap((r) => systems.flatMap((s) => {
    const m = r.bySystem.get(s);
    return typeof m === 'string' ? [`${s}, ${r.viewers} viewers: ${m}`] : [];
  }));
  return [table([header, ...body]), ...failures].join('\n');
}
