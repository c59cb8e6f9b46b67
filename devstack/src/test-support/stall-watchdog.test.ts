import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestCase, TestModule } from 'vitest/node';
import { StallWatchdog } from './stall-watchdog.ts';

const mod = (file: string) => ({ project: { name: 'workers' }, relativeModuleId: file }) as unknown as TestModule;
const testCase = (m: TestModule, fullName: string) => ({ module: m, fullName }) as unknown as TestCase;

describe('StallWatchdog', () => {
  afterEach(() => {
    vi.useRealTimers();
    process.exitCode = 0;
  });

  it('says nothing while events keep coming', () => {
    const lines: string[] = [];
    const w = new StallWatchdog(1_000, (l) => lines.push(l), () => {});
    w.onTestRunStart();
    w.onTestModuleStart(mod('a.test.ts'));
    w.check(Date.now() + 500);
    w.onTestRunEnd();
    expect(lines).toEqual([]);
  });

  it('names what was still running when nothing reports for the bound, then exits non-zero', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const exit = vi.fn();
    const w = new StallWatchdog(60_000, (l) => lines.push(l), exit);
    w.onTestRunStart();
    const api = mod('edge/test/api.test.ts');
    w.onTestModuleQueued(api);
    w.onTestModuleQueued(mod('edge/test/bad-input.test.ts'));
    w.onTestModuleStart(api);
    w.onTestCaseReady(testCase(api, 'GET /api/poll answers'));
    w.check(Date.now() + 61_000);
    const text = lines.join('\n');
    expect(text).toContain('no progress for 61 s');
    expect(text).toContain('still running: workers:edge/test/api.test.ts');
    expect(text).toContain('in "GET /api/poll answers"');
    expect(text).toContain('queued, never started: workers:edge/test/bad-input.test.ts');
    expect(process.exitCode).toBe(1);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30_000);
    expect(exit).toHaveBeenCalledWith(1);
  });
});
