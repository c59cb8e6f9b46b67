/**
 * Votes and shout-outs come only from the site's own pages, or from clients that are not browsers. CORS alone
 * does not stop a foreign page: it may still *send* a form post or a `text/plain` body (no preflight), it just
 * cannot read the answer, and every visitor's browser would vote from its own address. So:
 * - a browser request names its origin (`Origin`, or `Sec-Fetch-Site` where Origin is absent): a cross-site one
 *   is refused with 403;
 * - the body is JSON, or a form post from the site itself; anything else (`text/plain`, multipart) gets 415.
 * API clients without an Origin (curl, the demo crowd, a bridge) pass and are held to the same voter rules.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from './errors.ts';

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The body's media type, lower-cased, without parameters ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** For the public routes that change something; reads (GET, HEAD) and preflights pass untouched. */
export const siteOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
  const origin = c.req.header('origin');
  const fetchSite = c.req.header('sec-fetch-site')?.toLowerCase();
  const own = new URL(c.req.url).origin;
  const allowed = (o: string) => o === own || c.var.config.SITE_ORIGINS.includes(o);
  if (origin !== undefined ? !allowed(origin) : fetchSite === 'cross-site' || fetchSite === 'same-site') {
    throw new ApiException(403, 'cross-site', 'votes and shout-outs are accepted only from the site itself');
  }
  const type = mediaType(c.req.header('content-type'));
  if (type !== JSON_TYPE && type !== FORM_TYPE) {
    throw new ApiException(415, 'unsupported-media-type', `send the body as ${JSON_TYPE}${type ? ` (got ${type})` : ''}`);
  }
  await next();
});
