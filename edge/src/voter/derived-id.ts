/**
 * Voter ids derived from what minted the session (a challenge's nonce, a page ticket, a Turnstile token), so the
 * same proof always names the same voter: copies of a first vote sent at once are one voter to the room's dedupe.
 * The kind is the id's prefix, so the room can tell, from the session alone, which per-address cap applies.
 */
export type SessionKind =
  /** proof of work (ALTCHA) */
  | 'p'
  /** Cloudflare Turnstile */
  | 't'
  /** the no-JavaScript form's one-time ticket: no proof of work, the stricter cap */
  | 'f';

const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', enc.encode(`voter-id:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

/** `<kind>-<22 base64url chars>`: 128 bits of HMAC over the proof, within the token's voter-id alphabet. */
export async function derivedVoterId(secret: string, kind: SessionKind, proof: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), enc.encode(`${kind}:${proof}`)), 0, 16);
  let s = '';
  for (const b of mac) s += String.fromCharCode(b);
  return `${kind}-${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Sessions minted by the no-JavaScript form: the room holds them to the stricter per-address cap. */
export function isNoJsVoter(voterId: string): boolean {
  return voterId.startsWith('f-');
}
