/**
 * The open-file limit this process (and so every child it starts) runs under. workerd holds two sockets per viewer
 * WebSocket (measured: 4,010 sockets with 2,000 viewers connected), so on a machine whose limit is 20,000 the local
 * room cannot take 10,000 viewers: accept() fails with EMFILE and workerd stops accepting. Checked before connecting
 * rather than found out as a crash half-way through.
 */
import { readFileSync } from 'node:fs';

/** The soft limit on open files, or null where /proc does not say (not Linux). */
export function openFileLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}
