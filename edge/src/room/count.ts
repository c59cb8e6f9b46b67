/** How many an iterable yields: connections come as iterables (getConnections), not arrays. */
export function count(it: Iterable<unknown>): number {
  let n = 0;
  for (const _ of it) n++;
  return n;
}
