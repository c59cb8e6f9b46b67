import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from '../http/errors.ts';
import { newVoterId, signVoter, verifyVoter } from './token.ts';
import { verifyTurnstile } from './turnstile.ts';

export const VOTER_COOKIE = 'sf_voter';
export const VOTER_HEADER = 'x-voter-token';
const MAX_AGE_SEC = 30 * 24 * 3600;

export interface Voter {
  id: string;
  /** Set when this request started a new voter session: the token to hand back. */
  issued: string | null;
}

/** The voter's signed token, from the cookie or (for API clients) the X-Voter-Token header. */
function presentedToken(c: Context<AppEnv>): string | undefined {
  return c.req.header(VOTER_HEADER) ?? getCookie(c, VOTER_COOKIE);
}

/**
 * Who is voting. A presented token must verify (a forged or expired one is refused, not silently replaced,
 * so it can't be used to probe). Without one, a new session is issued — behind Turnstile when configured.
 */
export async function resolveVoter(c: Context<AppEnv>, turnstileToken?: string): Promise<Voter> {
  const { config } = c.var;
  const nowSec = Math.floor(Date.now() / 1000);
  const token = presentedToken(c);
  if (token !== undefined) {
    const id = await verifyVoter(config.VOTER_SECRET, token, nowSec, MAX_AGE_SEC);
    if (!id) throw new ApiException(401, 'invalid-voter-token', 'voter token is invalid or expired; drop it to get a new one');
    return { id, issued: null };
  }
  if (config.TURNSTILE_SECRET) {
    const ts = turnstileToken ?? c.req.header('cf-turnstile-response');
    if (!ts) throw new ApiException(401, 'turnstile-required', 'complete the Turnstile check first (turnstileToken)');
    if (!(await verifyTurnstile(config.TURNSTILE_SECRET, ts, c.req.header('cf-connecting-ip') ?? null))) {
      throw new ApiException(403, 'turnstile-failed', 'Turnstile check failed or was already used');
    }
  }
  const id = newVoterId();
  const issued = await signVoter(config.VOTER_SECRET, id, nowSec);
  setCookie(c, VOTER_COOKIE, issued, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: MAX_AGE_SEC,
  });
  return { id, issued };
}

/** The voter id if a valid token came with the request; never issues one. */
export async function peekVoter(c: Context<AppEnv>): Promise<string | null> {
  const token = presentedToken(c);
  if (!token) return null;
  return verifyVoter(c.var.config.VOTER_SECRET, token, Math.floor(Date.now() / 1000), MAX_AGE_SEC);
}
