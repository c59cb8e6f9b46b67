/**
 * BENCH_PROFILE=1: where a vote's time goes, by timing requests that stop at different depths of the vote path.
 * Each phase runs for a few seconds at the same concurrency; the accepted-vote figure comes from the main run.
 */
import { request, type Agent } from 'undici';
import { fmt, quantile, table } from './stats.ts';

export interface Phase {
  name: string;
  path: string;
  url: string;
  method: 'GET' | 'POST';
  headers: (i: number) => Record<string, string>;
  body?: (i: number) => string;
}

export interface PhaseResult {
  name: string;
  path: string;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: string;
}

export async function measure(phase: Phase, dispatcher: Agent, concurrency: number, seconds: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const deadline = Date.now() + seconds * 1000;
  let i = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (Date.now() < deadline) {
      const n = i++;
      const t0 = process.hrtime.bigint();
      let status = 0;
      try {
        const res = await request(phase.url, { dispatcher, method: phase.method, headers: phase.headers(n), ...(phase.body ? { body: phase.body(n) } : {}) });
        status = res.statusCode;
        await res.body.dump();
      } catch {
        // counted as status 0
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secondsTaken = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    name: phase.name,
    path: phase.path,
    perSecond: latencies.length / secondsTaken,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    statuses: [...statuses].sort().map(([s, c]) => `${s}:${c}`).join(' '),
  };
}

export function profileTable(rows: PhaseResult[]): string {
  return table([
    ['phase', 'what it exercises', 'req/s', 'p50 ms', 'p99 ms', 'statuses'],
    ...rows.map((r) => [r.name, r.path, fmt(r.perSecond, 0), fmt(r.p50, 1), fmt(r.p99, 1), r.statuses]),
  ]);
}
