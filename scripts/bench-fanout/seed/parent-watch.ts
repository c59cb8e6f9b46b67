/**
 * A child of the benchmark stops when the benchmark is gone, even killed with SIGKILL (no cleanup ran): its stdin
 * is a pipe from the parent, which the OS closes when the parent dies.
 */
export function stopWithParent(stop: () => void): void {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
