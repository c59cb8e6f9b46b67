/**
 * A fighter's page `/fighters/<id>`. The site is static and cannot have a file per fighter, so an address under
 * /fighters/ that is not an asset reaches the Worker (Workers static assets hand it every asset miss), which
 * answers with the one built page, /fighters/profile/; its script reads the id from the address and fetches
 * /api/fighters/<id>. An unknown id therefore gets the page, which says there is no such fighter.
 * The Worker's own response gets no headers from web/public/_headers, so it sets the static pages' policy itself.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';

/** As the static pages' policy in web/public/_headers. */
const HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

export const SHELL_PATH = '/fighters/profile/';

export const fighterPage = new Hono<AppEnv>().get('/fighters/:id', async (c) => {
  const assets = c.env.ASSETS as Fetcher | undefined;
  if (!assets) return c.text('the site is not built into this Worker (no ASSETS binding)', 503);
  const page = await assets.fetch(new Request(new URL(SHELL_PATH, c.req.url), { headers: { accept: 'text/html' } }));
  if (!page.ok) return page;
  return c.body(await page.text(), 200, { ...HEADERS, 'content-type': page.headers.get('content-type') ?? 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' });
});
