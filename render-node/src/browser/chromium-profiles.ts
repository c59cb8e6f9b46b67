/**
 * Chromium's profile folders, one a launch, in the temporary directory. A render node that closes its Chromium
 * removes its profile; one that was killed (the process, or its browser thread) cannot, so each launch first
 * removes the profiles no running process uses: what a crash leaves is bounded to the profiles of the last minute.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'sf-chromium-';
const PROFILE_FLAG = '--user-data-dir=';

/**
 * Younger than this, a profile nobody uses yet is left alone: another render node on the machine may have just made
 * it and be starting its Chromium (a launch is bounded by its open timeout, 15 s by default).
 */
const MIN_AGE_MS = 60_000;

export function newProfileDir(dir = tmpdir()): string {
  return mkdtempSync(join(dir, PREFIX));
}

/** Every process's arguments, from /proc (empty without it, or for processes gone while we looked). */
function processArgs(): string[][] {
  const out: string[][] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.push([name, ...readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')]);
    } catch {
      // Exited while we looked.
    }
  }
  return out;
}

/**
 * Chromium's browser process for a profile: the one process with `--user-data-dir=<dataDir>` and no `--type=` (its
 * helpers have one). Null when there is none (or no /proc).
 */
export function chromiumPidByProfile(dataDir: string): number | null {
  const flag = `${PROFILE_FLAG}${dataDir}`;
  const found = processArgs().find(([, ...args]) => args.includes(flag) && !args.some((a) => a.startsWith('--type=')));
  return found ? Number(found[0]) : null;
}

/** Removes the profiles in `dir` older than MIN_AGE_MS that no process runs with; returns their paths. */
export function sweepStaleProfiles(dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(PREFIX));
  } catch {
    return [];
  }
  if (names.length === 0) return [];
  const inUse = new Set(processArgs().flatMap(([, ...args]) => args.filter((a) => a.startsWith(PROFILE_FLAG)).map((a) => a.slice(PROFILE_FLAG.length))));
  const now = Date.now();
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (inUse.has(path) || now - statSync(path).mtimeMs < MIN_AGE_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: left as it is.
    }
  }
  return removed;
}
