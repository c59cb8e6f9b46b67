/** Bounded HTTP calls that say which endpoint failed and how. */
import { performance } from 'node:perf_hooks';

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
  ms: number;
}

export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<HttpResult<unknown>> {
  const t0 = performance.now();
  const { timeoutMs = 10_000, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const why = e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e.cause as Error | undefined)?.message ?? e.message)) : String(e);
    throw new Error(`${rest.method ?? 'GET'} ${url}: ${why}`);
  }
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${rest.method ?? 'GET'} ${url}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
  }
  return { status: res.status, headers: res.headers, body, text, ms: performance.now() - t0 };
}

export async function requestBytes(url: string, timeoutMs = 10_000): Promise<{ status: number; type: string; bytes: Buffer; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes, ms: performance.now() - t0 };
  } catch (e) {
    throw new Error(`GET ${url}: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`);
  }
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000) {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), timeoutMs });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
