/**
 * Whether the render node may load a page: its origin (scheme, host and port) must be one the node allows (the
 * edge's, the vote site's, BROWSER_URL_ALLOW's: config.ts). The edge checks screens when they are saved; this is
 * the second lock, for a room that sends something it should not have.
 */
export function pageAllowed(url: string, origins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && origins.includes(parsed.origin);
}
