/**
 * Voter ids derived from what minted the session (a challenge's nonce, a page ticket, a Turnstile token), so the
 * same proof always names the same voter: copies of a first vote sent at once are one voter to the room's dedupe.
 * The kind is the id's prefix, so the room can tell, from the session alone, which per-address cap applies.
 */
import { b64url, hmac } from '../http/hmac.ts';

export type SessionKind =
  /** proof of work (ALTCHA) */
  | 'p'
  /** Cloudflare Turnstile */
  | 't'
  /** the no-JavaScript form's one-time ticket: no proof of work, the stricter cap */
  | 'f';

/** `<kind>-<22 base64url chars>`: 128 bits of HMAC over the proof, within the token's voter-id alphabet. */
export async function derivedVoterId(secret: string, kind: SessionKind, proof: string): Promise<string> {
  return `${kind}-${b64url((await hmac(`voter-id:${secret}`, `${kind}:${proof}`)).subarray(0, 16))}`;
}

/** The kind of proof a session was minted from; ids that predate derived ids count as proof of work. */
export function sessionKind(voterId: string): SessionKind {
  const prefix = voterId.slice(0, 2);
  return prefix === 'f-' ? 'f' : prefix === 't-' ? 't' : 'p';
}

/** Sessions minted by the no-JavaScript form: the room holds them to the stricter per-address cap. */
export function isNoJsVoter(voterId: string): boolean {
  return sessionKind(voterId) === 'f';
}
