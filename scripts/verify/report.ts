/**
 * The pass/fail report: one line per check with ✔ (pass), ✘ (fail) or – (skipped), what was seen, and how long it
 * took. A check that throws or runs past its time limit fails with the reason; none can hang the run.
 */
import { performance } from 'node:perf_hooks';

export type Outcome = 'pass' | 'fail' | 'skip';
export interface CheckResult {
  name: string;
  outcome: Outcome;
  detail: string;
  ms: number;
}

/** What a check body returns: a detail line (pass), or an explicit outcome. */
export type CheckReturn = string | { outcome: Outcome; detail: string };

export class CheckFailed extends Error {}

export class Report {
  readonly results: CheckResult[] = [];
  readonly notes: string[] = [];
  readonly #live: (line: string) => void;
  constructor(live: (line: string) => void = () => {}) {
    this.#live = live;
  }

  async check(name: string, timeoutMs: number, body: () => Promise<CheckReturn>): Promise<CheckResult> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let r: CheckResult;
    try {
      const out = await Promise.race([
        body(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CheckFailed(`timed out after ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
        }),
      ]);
      const o = typeof out === 'string' ? { outcome: 'pass' as const, detail: out } : out;
      r = { name, ...o, ms: performance.now() - t0 };
    } catch (e) {
      r = { name, outcome: 'fail', detail: e instanceof Error ? e.message : String(e), ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
    this.results.push(r);
    this.#live(formatLine(r));
    return r;
  }

  skip(name: string, detail: string): void {
    const r: CheckResult = { name, outcome: 'skip', detail, ms: 0 };
    this.results.push(r);
    this.#live(formatLine(r));
  }

  get failed(): number {
    return this.results.filter((r) => r.outcome === 'fail').length;
  }
}

const MARK: Record<Outcome, string> = { pass: '✔', fail: '✘', skip: '–' };

export function formatLine(r: CheckResult): string {
  const t = r.outcome === 'skip' ? '' : ` (${r.ms < 1000 ? `${Math.round(r.ms)} ms` : `${(r.ms / 1000).toFixed(1)} s`})`;
  return `${MARK[r.outcome]} ${r.name.padEnd(33)} ${r.detail}${t}`;
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new CheckFailed(message);
}
