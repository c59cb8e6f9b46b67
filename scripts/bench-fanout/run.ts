/**
 * A benchmark's life, shared by bench:fanout and bench:stalled: its knobs read first (a bad one is a clear message),
 * then what it starts is registered and stopped at the end, on Ctrl-C (or SIGTERM, SIGHUP) and at its deadline,
 * in reverse order; the abort signal tells its loops to stop. The exit code is the body's, 130 on a signal, 124 at
 * the deadline, 1 when it throws.
 */
export interface BenchRun {
  signal: AbortSignal;
  /** Something started that must be stopped whatever happens. */
  register(close: () => Promise<void>): void;
}

export interface BenchSetup<K> {
  knobs: K;
  deadlineSec: number;
  /** The knob that sets the deadline, named when it is reached. */
  deadlineKnob: string;
}

export function runBench<K>(name: string, say: (line: string) => void, setup: () => BenchSetup<K>, body: (knobs: K, run: BenchRun) => Promise<number>): void {
  const fail = (e: unknown) => {
    process.stderr.write(`${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  };
  let s: BenchSetup<K>;
  try {
    s = setup();
  } catch (e) {
    return fail(e);
  }
  const aborter = new AbortController();
  const closers: Array<() => Promise<void>> = [];
  let closing: Promise<void> | null = null;
  const cleanup = () =>
    (closing ??= (async () => {
      for (const c of closers.reverse()) await c().catch((e: unknown) => say(`cleanup failed: ${String(e)}`));
    })());
  // Installed before anything starts: a Ctrl-C during start-up must not orphan workerd or the seed's processes.
  const stopOn = (why: string, code: number) => {
    if (aborter.signal.aborted) return;
    say(`\n${why}: stopping`);
    aborter.abort(new Error(why));
    void cleanup().finally(() => process.exit(code));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stopOn(sig, 130));
  const deadline = setTimeout(() => stopOn(`deadline of ${s.deadlineSec} s (${s.deadlineKnob}) reached`, 124), s.deadlineSec * 1000);
  deadline.unref();

  body(s.knobs, { signal: aborter.signal, register: (close) => void closers.push(close) })
    .finally(async () => {
      clearTimeout(deadline);
      await cleanup();
    })
    .then((code) => process.exit(code), fail);
}
