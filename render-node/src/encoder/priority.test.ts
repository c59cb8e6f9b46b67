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
