import { describe, expect, it } from 'vitest';
import { cpuTicks, parseCpuTicks, stealShare } from './cpu-steal.ts';

const STAT = (user: number, idle: number, steal: number) =>
  `cpu  ${user} 0 100 ${idle} 5 0 3 ${steal} 40 0\ncpu0 1 0 1 1 0 0 0 0 0 0\nintr 12345\n`;

describe('cpu steal', () => {
  it('reads the total (without the guest fields, already in user) and the steal from the "cpu" line', () => {
    expect(parseCpuTicks(STAT(1_000, 8_000, 20))).toEqual({ total: 1_000 + 100 + 8_000 + 5 + 3 + 20, steal: 20 });
  });

  it('gives the share the host took between two readings', () => {
    const before = parseCpuTicks(STAT(1_000, 8_000, 20));
    const after = parseCpuTicks(STAT(1_100, 8_850, 70));
    expect(stealShare(before, after)).toBeCloseTo(50 / 1_000, 6);
    expect(stealShare(after, after)).toBe(0);
  });

  it('refuses a /proc/stat without a steal field instead of reporting 0', () => {
    expect(() => parseCpuTicks('cpu  1 2 3 4\n')).toThrow(/steal/);
    expect(() => parseCpuTicks('intr 1\n')).toThrow(/steal/);
  });

  it("reads this machine's /proc/stat, whose counters only go up", () => {
    const a = cpuTicks();
    const b = cpuTicks();
    expect(a.total).toBeGreaterThan(0);
    expect(b.total).toBeGreaterThanOrEqual(a.total);
    expect(b.steal).toBeGreaterThanOrEqual(a.steal);
  });
});
