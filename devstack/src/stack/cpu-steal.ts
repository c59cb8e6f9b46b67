/**
 * The machine's CPU time as /proc/stat counts it, for the soak: how much of it the hypervisor took back ("steal":
 * time a virtual CPU was ready to run and the host ran something else). On a shared VM, bursts of steal are what
 * drop frames with nothing else running here, so the soak reports them beside the drops.
 */
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  /** All CPUs' ticks, every state. */
  total: number;
  steal: number;
}

/** The first line of /proc/stat ("cpu  user nice system idle iowait irq softirq steal guest guest_nice"). */
export function parseCpuTicks(stat: string): CpuTicks {
  const line = /^cpu\s+([\d\s]+)$/m.exec(stat)?.[1];
  const fields = line?.trim().split(/\s+/).map(Number) ?? [];
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) throw new Error(`/proc/stat has no "cpu" line with a steal field: ${stat.slice(0, 120)}`);
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7]! };
}

export function cpuTicks(): CpuTicks {
  return parseCpuTicks(readFileSync('/proc/stat', 'utf8'));
}

/** The share of the CPUs' time the host took between two readings, 0–1 (0 when no time passed). */
export function stealShare(from: CpuTicks, to: CpuTicks): number {
  const total = to.total - from.total;
  return total > 0 ? (to.steal - from.steal) / total : 0;
}
