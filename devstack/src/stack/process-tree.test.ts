import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { residentMemory, rssBytes } from './process-tree.ts';

/** A child that fills `mb` MiB of its heap when told to on stdin, and says "ready" / "filled" on stdout. */
function filler(mb: number) {
  const child = spawn(process.execPath, ['-e', `
    process.stdout.write('ready\\n');
    let kept;
    process.stdin.once('data', () => { kept = Buffer.alloc(${mb} * 2 ** 20, 7); process.stdout.write('filled\\n'); });
    setInterval(() => kept, 1000);
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not say "${word}" within 10 s`)), 10_000);
      child.stdout.on('data', (d: Buffer) => d.toString().includes(word) && (clearTimeout(timer), resolve()));
    });
  return { child, said };
}

describe('residentMemory', () => {
  it("splits a process's resident memory into its anonymous part: a filled 64 MiB buffer shows there", async () => {
    const { child, said } = filler(64);
    try {
      await said('ready');
      const before = residentMemory(child.pid!)!;
      expect(before.anon).toBeGreaterThan(0);
      expect(before.anon).toBeLessThanOrEqual(before.rss);
      child.stdin.write('go\n');
      await said('filled');
      const after = residentMemory(child.pid!)!;
      expect(after.anon - before.anon).toBeGreaterThan(60 * 2 ** 20);
      expect(rssBytes(child.pid!)).toBeGreaterThanOrEqual(after.anon);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is null once the process is gone', async () => {
    const { child } = filler(1);
    const pid = child.pid!;
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(residentMemory(pid)).toBeNull();
    expect(rssBytes(pid)).toBeNull();
  });
});
