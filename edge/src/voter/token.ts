/**
 * Signed voter identity: `v1.<voterId>.<issuedAtSec>.<hmac>` (base64url HMAC-SHA256 over the first three parts).
 * The edge issues it (as a cookie and in the response body) and trusts only what it can verify.
 */
import { SessionVoterId } from '@stream-fighter/core';
import { b64url, fromB64url, hmac, hmacKey } from '../http/hmac.ts';

const enc = new TextEncoder();

/** An HMAC-SHA256 is 32 bytes, 43 base64url characters: the longest token is a few dozen characters more. */
const SIG_CHARS = 43;
const MAX_TOKEN_CHARS = 128;

export async function signVoter(secret: string, voterId: string, issuedAtSec: number): Promise<string> {
  const body = `v1.${voterId}.${issuedAtSec}`;
  return `${body}.${b64url(await hmac(secret, body))}`;
}

/** The voter id when the token is well-formed, correctly signed and not older than `maxAgeSec`; otherwise null. */
export async function verifyVoter(secret: string, token: string, nowSec: number, maxAgeSec: number): Promise<string | null> {
  // Checked before any work: the token comes from a header or a cookie of any length.
  if (token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return null;
  const [, voterId, issued, sig] = parts as [string, string, string, string];
  if (!SessionVoterId.safeParse(voterId).success || !/^\d{1,12}$/.test(issued)) return null;
  const age = nowSec - Number(issued);
  if (age < -300 || age > maxAgeSec) return null;
  const sigBytes = sig.length === SIG_CHARS ? fromB64url(sig) : null;
  if (!sigBytes) return null;
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), sigBytes, enc.encode(`v1.${voterId}.${issued}`));
  return ok ? voterId : null;
}
