/**
 * Child processes of the local stack: output prefixed by service, and all of them stopped (SIGTERM, then
 * SIGKILL) when the stack stops, so Ctrl-C leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const children = new Set<ChildProcess>();

export function prefixLines(stream: NodeJS.ReadableStream, label: string, out: NodeJS.WritableStream): void {
  createInterface({ input: stream }).on('line', (line) => out.write(`[${label}] ${line}\n`));
}

export function startChild(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // detached: the child leads its own process group, so stopping it also stops what it started (workerd).
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  prefixLines(child.stdout!, label, process.stdout);
  prefixLines(child.stderr!, label, process.stderr);
  child.on('exit', () => children.delete(child));
  return child;
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
