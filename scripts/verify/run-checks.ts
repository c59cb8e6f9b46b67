/**
 * `npm run verify` as a list: each check has a name, a time limit and a body, and may say why it cannot run (a
 * skipped line) or that it has nothing to say at all. The runner takes them in order, so a check reads what
 * the ones before it found.
 */
import type { CheckReturn, Report } from './report.ts';

export interface Check {
  /** The line's name, also when the check is skipped. */
  name: string;
  /** The line's name when the check runs, when that says more than `name` (how many votes, which picture). */
  title?(): string;
  timeoutMs: number;
  /** Leave the check out, with no line: it only follows up on something that did not happen. */
  omit?(): boolean;
  /** Why the check cannot run now (a skipped line), or undefined to run it. */
  skip?(): string | undefined;
  /** Work before the check that is not part of its time: starting what later checks read, a picture to compare with. */
  prepare?(): void | Promise<void>;
  run(): Promise<CheckReturn>;
}

export async function runChecks(report: Report, checks: readonly Check[]): Promise<void> {
  for (const c of checks) {
    if (c.omit?.()) continue;
    const why = c.skip?.();
    if (why !== undefined) {
      report.skip(c.name, why);
      continue;
    }
    await c.prepare?.();
    await report.check(c.title?.() ?? c.name, c.timeoutMs, () => c.run());
  }
}
