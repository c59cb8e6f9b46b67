/**
 * The security headers of the vote page `/`, which the Worker renders: the static pages get theirs from
 * web/public/_headers, which Workers static assets apply to assets only, never to a Worker's own response.
 * The policy is the static pages' one, plus what the vote page runs: the ALTCHA widget's proof-of-work workers
 * (files from the site itself) and, only when a Turnstile site key is set, Cloudflare's Turnstile script and frame.
 */
const TURNSTILE = 'https://challenges.cloudflare.com';

export function votePageHeaders(opts: { turnstile: boolean }): Record<string, string> {
  const extra = opts.turnstile ? ` ${TURNSTILE}` : '';
  const csp = [
    "default-src 'self'",
    `script-src 'self'${extra}`,
    "style-src 'self'",
    // The server-rendered fight sets bar widths and fighter colours in style attributes (see web/public/_headers).
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    `frame-src 'self'${extra}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}
