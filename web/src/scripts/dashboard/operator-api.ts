/** The operator's API calls: the signed-in token as Bearer; a 401 means it is no longer good, so the page signs out. */
import { ApiCallError, apiCall } from '../../lib/http.ts';

export function operatorApi(token: () => string | null, onRefused: () => void) {
  return <R>(method: string, path: string, body?: unknown): Promise<R> =>
    apiCall<R>(method, path, { token: token(), ...(body !== undefined ? { body } : {}) }).catch((e: unknown) => {
      if (e instanceof ApiCallError && e.status === 401) onRefused();
      throw e;
    });
}
