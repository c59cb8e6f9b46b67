import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiError } from '@stream-fighter/core';
import { ConfigError } from '../env.ts';
import { log } from '../log.ts';
import { ApiException } from './errors.ts';

/** The one error path: known errors become their 4xx JSON; anything else is logged and answered with a bare 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiException) {
    const body: ApiError = { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
    return c.json(body, err.status);
  }
  if (err instanceof HTTPException) {
    // A middleware that built its own answer (bearerAuth's 401 with WWW-Authenticate) keeps it.
    if (err.res) return err.getResponse();
    return c.json({ error: { code: 'http-error', message: err.message || 'request failed' } } satisfies ApiError, err.status);
  }
  if (err instanceof ConfigError) {
    log.error('config.invalid', { message: err.message });
    return c.json({ error: { code: 'misconfigured', message: err.message } } satisfies ApiError, 500);
  }
  log.error('request.failed', { method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
  return c.json({ error: { code: 'internal', message: 'internal error' } } satisfies ApiError, 500);
}

export function notFound(c: Context): Response {
  return c.json({ error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ApiError, 404);
}
