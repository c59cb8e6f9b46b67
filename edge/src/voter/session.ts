import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import { ApiException } from '../http/errors.ts';
import { verifyChallenge } from './challenge.ts';
import { derivedVoterId } from './derived-id.ts';
import { newSessionAllowed } from './session-limit.ts';
import { verifyTicket } from './ticket.ts';
import { signVoter, verifyVoter } from './token.ts';
import { verifyTurnstile } from './turnstile.ts';

export const VOTER_COOKIE = 'sf_voter';
export const VOTER_HEADER = 'x-voter-token';
/** How long a voter session lives from when it was issued (never extended): also what bounds the bet book (room/bet-book.ts). */
export const SESSION_MAX_AGE_SEC = 30 * 24 * 3600;

export interface Voter {
  id: string;
  /** Set when this request started a new voter session: the token to hand back. */
  issued: string | null;
}

/** The voter's signed token, from the cookie or (for API clients) the X-Voter-Token header. */
function presentedToken(c: Context<AppEnv>): string | undefined {
  return c.req.header(VOTER_HEADER) ?? getCookie(c, VOTER_COOKIE);
}

/** What a client without a session shows to mint one: a solved challenge, the page's ticket, or a Turnstile token. */
export interface SessionProof {
  altcha?: string | undefined;
  ticket?: string | undefined;
  turnstileToken?: string | undefined;
}

/** A page's no-JavaScript ticket stays usable this long: people leave the page open between rounds. */
const TICKET_MAX_AGE_SEC = 3600;

/**
 * Who is voting. A presented token must verify (a forged or expired one is refused, not silently replaced, so it
 * can't be used to probe). Without one, a new session is minted from a proof, at most SESSIONS_PER_ADDRESS_PER_HOUR
 * per address; `address` is the keyed hash of the caller's address prefix.
 */
export async function resolveVoter(c: Context<AppEnv>, proof: SessionProof, address: string): Promise<Voter> {
  const { config } = c.var;
  const nowSec = Math.floor(Date.now() / 1000);
  const token = presentedToken(c);
  if (token !== undefined) {
    const id = await verifyVoter(config.VOTER_SECRET, token, nowSec, SESSION_MAX_AGE_SEC);
    if (!id) throw new ApiException(401, 'invalid-voter-token', 'voter token is invalid or expired; drop it to get a new one');
    return { id, issued: null };
  }
  const id = await mintedVoterId(c, proof, nowSec);
  const allowed = await newSessionAllowed(config, id, address, (p) => c.executionCtx.waitUntil(p));
  if (!allowed.ok) {
    c.header('retry-after', String(allowed.retryAfterSec));
    throw new ApiException(429, 'too-many-sessions', 'too many new voters from this network; try again later');
  }
  const issued = await signVoter(config.VOTER_SECRET, id, nowSec);
  setCookie(c, VOTER_COOKIE, issued, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_MAX_AGE_SEC,
  });
  return { id, issued };
}

/**
 * The voter a proof names; the same proof always names the same voter (voter/derived-id.ts). A solved challenge
 * (or Turnstile) wins over a ticket sent with it: a ticket's session is held to the stricter cap.
 */
async function mintedVoterId(c: Context<AppEnv>, proof: SessionProof, nowSec: number): Promise<string> {
  const { config } = c.var;
  if (proof.ticket !== undefined && proof.altcha === undefined && proof.turnstileToken === undefined) {
    if (config.VOTES_PER_ADDRESS_PER_ROUND_NOJS === 0) {
      throw new ApiException(403, 'ticket-disabled', 'voting without JavaScript is switched off here; enable JavaScript to vote');
    }
    const nonce = await verifyTicket(config.VOTER_SECRET, proof.ticket, nowSec, TICKET_MAX_AGE_SEC);
    if (!nonce) throw new ApiException(403, 'ticket-invalid', 'the page\'s vote ticket is invalid or expired; reload the page');
    return derivedVoterId(config.VOTER_SECRET, 'f', nonce);
  }
  if (config.TURNSTILE_SECRET) {
    const ts = proof.turnstileToken ?? c.req.header('cf-turnstile-response');
    if (!ts) throw new ApiException(401, 'turnstile-required', 'complete the Turnstile check first (turnstileToken)');
    if (!(await verifyTurnstile(config.TURNSTILE_SECRET, ts, c.req.header('cf-connecting-ip') ?? null))) {
      throw new ApiException(403, 'turnstile-failed', 'Turnstile check failed or was already used');
    }
    return derivedVoterId(config.VOTER_SECRET, 't', ts);
  }
  if (proof.altcha === undefined) {
    throw new ApiException(401, 'challenge-required', 'a new voter solves a challenge first: GET /api/challenge, then send the solution as "altcha"');
  }
  const verdict = await verifyChallenge(config, proof.altcha);
  if (!verdict.ok) throw new ApiException(403, 'challenge-failed', verdict.reason);
  return verdict.voterId;
}

/** The voter id if a valid token came with the request; never issues one. */
export async function peekVoter(c: Context<AppEnv>): Promise<string | null> {
  const token = presentedToken(c);
  if (!token) return null;
  return verifyVoter(c.var.config.VOTER_SECRET, token, Math.floor(Date.now() / 1000), SESSION_MAX_AGE_SEC);
}
