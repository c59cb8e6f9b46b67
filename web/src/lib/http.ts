/** Small typed fetch helpers: failures rethrow with the endpoint and the API's own error code in the message. */

export class ApiCallError extends Error {
  override name = 'ApiCallError';
  readonly endpoint: string;
  readonly status: number;
  readonly code: string;

  constructor(endpoint: string, status: number, code: string, message: string) {
    super(`${endpoint}: ${status} ${code}: ${message}`);
    this.endpoint = endpoint;
    this.status = status;
    this.code = code;
  }
}

export async function apiCall<T>(method: string, path: string, init: { body?: unknown; token?: string | null } = {}): Promise<T> {
  const endpoint = `${method} ${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  } catch (e) {
    throw new ApiCallError(endpoint, 0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiCallError(endpoint, res.status, 'not-json', text.slice(0, 120));
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new ApiCallError(endpoint, res.status, typeof err?.code === 'string' ? err.code : 'http-error', typeof err?.message === 'string' ? err.message : res.statusText);
  }
  return data as T;
}
