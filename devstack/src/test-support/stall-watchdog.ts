/**
 * A vitest reporter that bounds a stalled run. Every test has a timeout, but a test pool that stops answering
 * (seen once with the workerd pool on a machine at load ~8: two files never reported, for 12 minutes) sits outside
 * them. When nothing at all is reported for `stallMs`, this prints what was still running and for how long, cancels
 * the run, and exits non-zero if the run does not end by itself soon after: CI fails with a message instead of hanging.
 */
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

const CHECK_EVERY_MS = 10_000;
const GRACE_AFTER_CANCEL_MS = 30_000;

export class StallWatchdog implements Reporter {
  private vitest: Vitest | null = null;
  private last = Date.now();
  private readonly running = new Map<string, { since: number; test: string | null; testSince: number }>();
  private readonly queued = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;

  private readonly stallMs: number;
  private readonly write: (line: string) => void;
  private readonly exit: (code: number) => void;

  constructor(stallMs: number, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`), exit: (code: number) => void = (code) => process.exit(code)) {
    this.stallMs = stallMs;
    this.write = write;
    this.exit = exit;
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunStart(): void {
    this.last = Date.now();
    this.timer ??= setInterval(() => this.check(Date.now()), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onTestModuleQueued(m: TestModule): void {
    this.progress();
    this.queued.add(name(m));
  }

  onTestModuleStart(m: TestModule): void {
    this.progress();
    this.queued.delete(name(m));
    this.running.set(name(m), { since: Date.now(), test: null, testSince: Date.now() });
  }

  onTestModuleEnd(m: TestModule): void {
    this.progress();
    this.running.delete(name(m));
  }

  onTestCaseReady(t: TestCase): void {
    this.progress();
    const r = this.running.get(name(t.module));
    if (r) Object.assign(r, { test: t.fullName, testSince: Date.now() });
  }

  onTestCaseResult(): void {
    this.progress();
  }

  onHookStart(): void {
    this.progress();
  }

  onHookEnd(): void {
    this.progress();
  }

  private progress(): void {
    this.last = Date.now();
  }

  /** Public for its test: what the interval runs. */
  check(now: number): void {
    if (now - this.last < this.stallMs) return;
    const secs = (ms: number) => `${Math.round(ms / 1000)} s`;
    this.write(`\nvitest made no progress for ${secs(now - this.last)} (bound: ${secs(this.stallMs)}, VITEST_STALL_MS); cancelling the run.`);
    for (const [file, r] of this.running) {
      this.write(`  still running: ${file} (for ${secs(now - r.since)})${r.test ? `, in "${r.test}" (for ${secs(now - r.testSince)})` : ', before its first test (loading or beforeAll)'}`);
    }
    if (this.running.size === 0) this.write('  no file was running: the pool did not start the next one');
    if (this.queued.size) this.write(`  queued, never started: ${[...this.queued].join(', ')}`);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    process.exitCode = 1;
    void this.vitest?.cancelCurrentRun('keyboard-input');
    setTimeout(() => {
      this.write('vitest did not end within 30 s of the cancel: exiting with status 1.');
      this.exit(1);
    }, GRACE_AFTER_CANCEL_MS).unref();
  }
}

function name(m: TestModule): string {
  return `${m.project.name}:${m.relativeModuleId}`;
}
