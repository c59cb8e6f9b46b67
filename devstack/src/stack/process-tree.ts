/**
 * The machine's processes as Linux's /proc shows them: who started whom, how much memory each holds and how much
 * CPU it has used. The local stack's tests use it to prove nothing is left behind; the soak samples each service's
 * RSS; bench:fanout times the server's CPU per update.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  /** The state letter (R, S, Z, …). */
  state: string;
  cmd: string;
}

export function processTable(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // comm may hold spaces and parentheses: the fields that matter come after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), state: fields[0] ?? '?', cmd });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Every process below `root`. */
export function descendants(root: number, table: readonly Proc[] = processTable()): Proc[] {
  const found: Proc[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of table) {
      if (p.ppid === parent) {
        found.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return found;
}

/**
 * Resident memory of a process in bytes: the whole (VmRSS) and its anonymous part (RssAnon: heaps and stacks, not
 * pages of mapped files such as the binary's code, which are read in as code paths are first run); null once gone.
 */
export function residentMemory(pid: number): { rss: number; anon: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    const rss = kb('VmRSS');
    return Number.isNaN(rss) ? null : { rss, anon: kb('RssAnon') };
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes (VmRSS), or null once it is gone. */
export function rssBytes(pid: number): number | null {
  return residentMemory(pid)?.rss ?? null;
}

/** Linux reports CPU time in clock ticks of USER_HZ, 100 a second on every architecture it runs on. */
const TICKS_PER_S = 100;

/** CPU time a process has used so far (user + system), in ms, or null once it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state letter.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}
