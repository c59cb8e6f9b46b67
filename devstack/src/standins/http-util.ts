// Dev/test only: tiny node:http helpers shared by the local stand-ins for Neon and Upstash.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Log = (obj: Record<string, unknown>) => void;

/** Thrown for requests that are malformed before any backend sees them; answered with 400. */
export class BadRequest extends Error {}

// A stand-in is still a server on a port: cap bodies so a runaway client cannot eat the dev machine's memory.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON text that the clients send without a JSON content type; malformed text is the caller's fault. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Listens and resolves with the bound port (port 0 picks a free one, which the tests rely on). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/** Closes the server and drops idle keep-alive sockets, so tests do not hang on close. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}

/** A URL safe to log: the password is replaced, everything else kept for debugging. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
