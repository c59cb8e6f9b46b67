/**
 * A Node child process of the benchmark (the seed's tier runs in its own processes, as it does in production, so it
 * does not share the harness's event loop): started from a .ts file, ready when it prints `ready`, its stderr shown
 * with a label, stopped with SIGTERM and then SIGKILL. Its stdin is a pipe it watches (seed/parent-watch.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { within } from './wait.ts';

export interface Child {
  readonly label: string;
  readonly pid: number;
  /** Stops it (SIGTERM, SIGKILL after 5 s); safe to call more than once. */
  stop(): Promise<void>;
}

export async function startNodeChild(label: string, file: URL, env: Record<string, string>, readyTimeoutMs: number, show: (line: string) => void, verbose: boolean): Promise<Child> {
  const child = spawn(process.execPath, [file.pathname], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)));
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= stopChild(child, exited));
  createInterface({ input: child.stderr! }).on('line', (line) => show(`[${label}] ${line}`));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') resolve();
      else if (verbose) show(`[${label}] ${line}`);
    });
    child.once('error', reject);
    void exited.then((how) => reject(new Error(`${label} exited before it was ready (${how})`)));
  });
  try {
    await within(ready, readyTimeoutMs, `${label} to print "ready"`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { label, pid: child.pid!, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await within(exited, 5_000, 'exit').then(() => true, () => false);
  if (!gone) {
    child.kill('SIGKILL');
    await within(exited, 5_000, 'exit after SIGKILL').catch(() => {});
  }
}
