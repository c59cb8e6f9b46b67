import { describe, expect, it } from 'vitest';
import { Report } from './report.ts';
import { runChecks, type Check } from './run-checks.ts';

describe('the list of checks', () => {
  it('runs them in order, one line each: passed under its title, skipped under its name with why, omitted not at all', async () => {
    const lines: string[] = [];
    const report = new Report((l) => lines.push(l));
    const seen: string[] = [];
    let found = 0;
    const checks: Check[] = [
      { name: 'first', timeoutMs: 1_000, run: async () => ((found = 3), 'found 3') },
      { name: 'count', title: () => `count: ${found}`, timeoutMs: 1_000, prepare: () => void seen.push('prepare count'), run: async () => (seen.push('run count'), 'ok') },
      { name: 'skipped', timeoutMs: 1_000, skip: () => 'nothing to look at', prepare: () => void seen.push('prepare skipped'), run: async () => 'never' },
      { name: 'omitted', timeoutMs: 1_000, omit: () => true, run: async () => 'never' },
      { name: 'failing', timeoutMs: 1_000, skip: () => undefined, run: async () => Promise.reject(new Error('broken')) },
    ];
    await runChecks(report, checks);
    expect(seen).toEqual(['prepare count', 'run count']);
    expect(report.results.map((r) => [r.name, r.outcome, r.detail])).toEqual([
      ['first', 'pass', 'found 3'],
      ['count: 3', 'pass', 'ok'],
      ['skipped', 'skip', 'nothing to look at'],
      ['failing', 'fail', 'broken'],
    ]);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`– ${'skipped'.padEnd(33)} nothing to look at`);
    expect(lines[3]).toMatch(/^✘ failing {26} broken \(\d+ ms\)$/);
  });
});
