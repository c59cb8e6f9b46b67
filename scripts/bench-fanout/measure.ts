/**
 * One measurement: N viewers on one system, then votes one at a time from distinct voters, spaced; for each vote,
 * the time from sending it until every viewer holds a state that counts it (its vote total reaches the total before
 * the votes plus the vote's number). The viewers are closed at the end, whatever happened.
 */
import { Fleet } from './fleet.ts';
import type { Knobs } from './knobs.ts';
import type { Traffic } from './messages.ts';
import type { SystemUnderTest } from './system.ts';
import { clock, sleep, within } from './wait.ts';

export interface Measurement {
  system: string;
  viewers: number;
  /** Sorted latencies (ms) of the votes every viewer saw in time, warm-up left out. */
  latencies: number[];
  missed: number;
  traffic: Traffic;
  /** The busiest viewer thread's event-loop utilisation during the votes (0..1). */
  harnessBusy: number;
  /** From the first vote sent to the last seen, s. */
  seconds: number;
  /** CPU the server's processes used over the same time, ms. */
  serverCpuMs: number;
  connectSeconds: number;
}

const VOTE_TIMEOUT_MS = 10_000;

export async function measure(sys: SystemUnderTest, viewers: number, k: Knobs, signal: AbortSignal, say: (line: string) => void): Promise<Measurement> {
  const refusal = sys.cannotHold(viewers);
  if (refusal) throw new Error(refusal);
  await sys.newRound();
  const connectStart = clock();
  const fleet = await Fleet.start({ kind: sys.viewerKind, url: sys.viewerUrl, viewers, threads: k.BENCH_WORKERS, concurrency: k.BENCH_CONNECT_CONCURRENCY, connectTimeoutMs: k.BENCH_CONNECT_TIMEOUT_SEC * 1000, signal });
  try {
    const base = await fleet.settle(60_000, signal);
    const connectSeconds = (clock() - connectStart) / 1000;
    const retried = fleet.retried > 0 ? ` (${fleet.retried} attempts retried)` : '';
    say(`  ${sys.label}, ${viewers} viewers: connected in ${connectSeconds.toFixed(1)} s${retried}, all hold ${base} votes; voting`);
    const total = k.BENCH_WARMUP_VOTES + k.BENCH_VOTES;
    await sys.prepare(total);
    fleet.arm(base, total);
    // A dropped viewer rejects its vote's wait: kept here and thrown after the vote loop's current step.
    let failure: unknown = null;
    const latencies: Array<Promise<number | null>> = [];
    const started = clock();
    const cpuBefore = sys.serverCpuMs();
    let sentAt = 0;
    for (let n = 1; n <= total; n++) {
      if (failure) throw failure;
      const spacing = k.BENCH_SPACING_MIN_MS + Math.random() * (k.BENCH_SPACING_MAX_MS - k.BENCH_SPACING_MIN_MS);
      if (n > 1) await sleep(Math.max(0, sentAt + spacing - clock()), signal);
      sentAt = clock();
      const at = sentAt;
      await within(sys.vote(n), VOTE_TIMEOUT_MS, `vote ${n} to be accepted`, signal);
      latencies.push(
        fleet.reach(base + n, k.BENCH_REACH_TIMEOUT_MS, signal).then(
          (seen) => (seen === null ? null : seen - at),
          (e: unknown) => ((failure ??= e), null),
        ),
      );
    }
    const results = await Promise.all(latencies);
    const serverCpuMs = sys.serverCpuMs() - cpuBefore;
    if (failure) throw failure;
    const measured = results.slice(k.BENCH_WARMUP_VOTES);
    return {
      system: sys.label,
      viewers,
      latencies: measured.filter((x): x is number => x !== null).sort((a, b) => a - b),
      missed: measured.filter((x) => x === null).length,
      ...(await fleet.readout()),
      seconds: (clock() - started) / 1000,
      serverCpuMs,
      connectSeconds,
    };
  } finally {
    await fleet.close();
  }
}
