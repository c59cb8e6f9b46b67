import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What workerd's `disk` service answers for a folder (the local edge reads web/dist through it): a JSON listing
 * for a directory, the bytes of a file, 404 otherwise. The router's tests run edge-router.js in Node against it.
 */
export function diskService(dir: string): { fetch(input: Request | string, init?: RequestInit): Promise<Response> } {
  return {
    async fetch(input, init) {
      const req = new Request(input, init);
      const path = join(dir, decodeURIComponent(new URL(req.url).pathname));
      try {
        const st = statSync(path);
        if (st.isDirectory()) return new Response(req.method === 'HEAD' ? null : '[]', { headers: { 'content-type': 'application/json' } });
        const headers = { 'content-type': 'application/octet-stream', 'content-length': String(st.size), 'last-modified': st.mtime.toUTCString() };
        return new Response(req.method === 'HEAD' ? null : readFileSync(path), { headers });
      } catch {
        return new Response('Not Found', { status: 404 });
      }
    },
  };
}
