import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, it } from 'vitest';

const priorityTs = fileURLToPath(new URL('./priority.ts', import.meta.url));

/** A fresh process (nice 0) raises its priority, then starts a child, as the render node starts FFmpeg. */
const script = `
import { getPriority } from 'node:os';
import { spawn } from 'node:child_process';
const { raisePriority } = await import(${JSON.stringify(priorityTs)});
const outcome = raisePriority();
const child = spawn('sleep', ['5']);
const childNice = getPriority(child.pid);
child.kill();
console.log(JSON.stringify({ ...outcome, self: getPriority(), childNice }));
`;

it('raises the process to nice −10 where it may, and what it starts inherits it', async () => {
  const r = await execa(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 });
  const out = JSON.parse(r.stdout) as { nice: number; error?: string; self: number; childNice: number };
  if (process.getuid?.() === 0) {
    expect(out).toEqual({ nice: -10, self: -10, childNice: -10 });
  } else {
    // Without the right to raise it, the process says why and runs on where it was.
    expect(out.error).toMatch(/EACCES|EPERM|permission/i);
    expect(out.childNice).toBe(out.self);
  }
});

it('never lowers a priority that is already higher', async () => {
  const r = await execa('nice', ['-n', '-15', process.execPath, '--input-type=module', '-e', script], { timeout: 10_000, reject: false });
  // Only root can start a process at −15; elsewhere there is nothing to check.
  if (process.getuid?.() !== 0) return;
  expect(JSON.parse(r.stdout)).toMatchObject({ nice: -15, self: -15, childNice: -15 });
});

/** The browser capture's worker: back to nice 0 for itself and what it starts, the process's main thread unchanged. */
const workerScript = `
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
const { raisePriority } = await import(${JSON.stringify(priorityTs)});
raisePriority();
const inWorker = \`
  const { spawn } = await import('node:child_process');
  const { getPriority } = await import('node:os');
  const { parentPort } = await import('node:worker_threads');
  const { lowerThreadPriority } = await import(${JSON.stringify(priorityTs)});
  const nice = lowerThreadPriority();
  const child = spawn('sleep', ['5']);
  const childNice = getPriority(child.pid);
  child.kill();
  parentPort.postMessage({ nice, childNice });
\`;
// The eval'd worker inherits --input-type=module: it is an ES module.
const w = new Worker(inWorker, { eval: true });
const fromWorker = await new Promise((ok) => w.once('message', ok));
await w.terminate();
console.log(JSON.stringify({ ...fromWorker, main: getPriority() }));
`;

it('puts a worker thread and what it starts back at nice 0, leaving the process where it was', async () => {
  const r = await execa(process.execPath, ['--input-type=module', '-e', workerScript], { timeout: 10_000 });
  const out = JSON.parse(r.stdout) as { nice: number | null; childNice: number; main: number };
  if (process.getuid?.() === 0) expect(out).toEqual({ nice: 0, childNice: 0, main: -10 });
  else expect(out.childNice).toBe(out.nice ?? out.main);
});
