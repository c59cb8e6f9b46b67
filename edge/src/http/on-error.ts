import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiError } from '@stream-fighter/core';
import { ConfigError } from '../env.ts';
import { log } from '../log.ts';
import { ApiException } from './errors.ts';

/**
 * A Durable Object that was reset or overloaded while it handled the call: workerd marks those errors `retryable`,
 * `overloaded` or `durableObjectReset`. Whatever the room was doing committed whole or not at all, so the caller
 * may simply try again.
 */
export function objectUnavailable(err: unknown): boolean {
  const flags = err as { retryable?: unknown; overloaded?: unknown; durableObjectReset?: unknown } | null;
  return flags !== null && typeof flags === 'object' && (flags.retryable === true || flags.overloaded === true || flags.durableObjectReset === true);
}

/**
 * The one error path: known errors become their 4xx JSON; a room that was reset mid-call, a 503 to retry; anything
 * else is logged and answered with a bare 500.
 */
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
  if (objectUnavailable(err)) {
    log.warn('request.object-unavailable', { method: c.req.method, path: c.req.path, error: err.message });
    c.header('retry-after', '1');
    return c.json({ error: { code: 'unavailable', message: 'the room could not answer just now (it restarted mid-way); try again' } } satisfies ApiError, 503);
  }
  log.error('request.failed', { method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
  return c.json({ error: { code: 'internal', message: 'internal error' } } satisfies ApiError, 500);
}

export function notFound(c: Context): Response {
  return c.json({ error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ApiError, 404);
}
