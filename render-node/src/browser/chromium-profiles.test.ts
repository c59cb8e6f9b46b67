import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPidByProfile, newProfileDir, sweepStaleProfiles } from './chromium-profiles.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A profile in `dir` last changed `ageMs` ago, with a file in it. */
function profile(dir: string, ageMs: number): string {
  const p = newProfileDir(dir);
  mkdirSync(join(p, 'Default'));
  writeFileSync(join(p, 'Default', 'Preferences'), '{}');
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(p, at, at);
  return p;
}

/** A process that runs with `--user-data-dir=<dir>` among its arguments, as Chromium does. */
async function holder(dir: string, type?: string) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${dir}`, ...(type ? [`--type=${type}`] : [])], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

describe('Chromium profiles', () => {
  it('removes the profiles a killed render node left (older than a minute, used by no process); keeps the rest', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sf-profiles-test-'));
    dirs.push(tmp);
    const left = profile(tmp, 5 * 60_000);
    const inUse = profile(tmp, 5 * 60_000);
    const young = profile(tmp, 5_000);
    const other = join(tmp, 'not-a-profile');
    mkdirSync(other);
    utimesSync(other, 0, 0);
    const chromium = await holder(inUse);
    try {
      expect(sweepStaleProfiles(tmp)).toEqual([left]);
      expect(existsSync(left)).toBe(false);
      for (const kept of [inUse, young, other]) expect(existsSync(kept), kept).toBe(true);
    } finally {
      chromium.kill('SIGKILL');
      await once(chromium, 'exit');
    }
    // Once its Chromium is gone, that one goes too.
    expect(sweepStaleProfiles(tmp)).toEqual([inUse]);
  });

  it("finds Chromium's browser process by its profile, not its helpers", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sf-profiles-test-'));
    dirs.push(tmp);
    const p = profile(tmp, 0);
    const helper = await holder(p, 'renderer');
    const browser = await holder(p);
    try {
      expect(chromiumPidByProfile(p)).toBe(browser.pid);
      expect(chromiumPidByProfile(join(tmp, 'sf-chromium-none'))).toBeNull();
    } finally {
      for (const c of [helper, browser]) c.kill('SIGKILL');
    }
  });
});
