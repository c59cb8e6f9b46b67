/**
 * Child processes of the local stack: output prefixed by service, and all of them stopped (SIGTERM, then
 * SIGKILL) when the stack stops, so Ctrl-C leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const children = new Set<ChildProcess>();

/** Which of a child's lines to show; `stream` says where the line came from. */
export type LineFilter = (line: string, stream: 'stdout' | 'stderr') => boolean;

export function prefixLines(stream: NodeJS.ReadableStream, label: string, out: NodeJS.WritableStream, show: (line: string) => boolean = () => true): void {
  createInterface({ input: stream }).on('line', (line) => {
    if (show(line)) out.write(`[${label}] ${line}\n`);
  });
}

function spawnTracked(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // detached: the child leads its own process group, so stopping it also stops what it started (workerd).
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function startChild(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, filter?: LineFilter): ChildProcess {
  const child = spawnTracked(command, args, env);
  prefixLines(child.stdout!, label, process.stdout, filter ? (l) => filter(l, 'stdout') : undefined);
  prefixLines(child.stderr!, label, process.stderr, filter ? (l) => filter(l, 'stderr') : undefined);
  return child;
}

/**
 * A short-lived child (a build step), stopped with the others on Ctrl-C. Its output is kept, not shown: it is in
 * the error when the child fails.
 */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawnTracked(command, args, env);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`));
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function stopChildren(graceMs = 5_000): Promise<void> {
  const running = [...children];
  for (const c of running) signalGroup(c, 'SIGTERM');
  const exited = Promise.all(running.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())))));
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') for (const c of running) signalGroup(c, 'SIGKILL');
}

/**
 * Last resort, for a stack process that is exiting without having stopped its children (a crash, or a library
 * calling process.exit): SIGKILL every group at once. Synchronous, so it can run in an 'exit' handler.
 */
export function killChildrenNow(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) signalGroup(c, 'SIGKILL');
}
