/**
 * Signed voter identity: `v1.<voterId>.<issuedAtSec>.<hmac>` (base64url HMAC-SHA256 over the first three parts).
 * The edge issues it (as a cookie and in the response body) and trusts only what it can verify.
 */
const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (const b of u8) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Null for anything that is not unpadded base64url (a length of 1 mod 4 is not base64 at all: atob throws on it). */
function fromB64url(s: string): Uint8Array | null {
  if (s.length % 4 === 1 || !/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** An HMAC-SHA256 is 32 bytes, 43 base64url characters: the longest token is a few dozen characters more. */
const SIG_CHARS = 43;
const MAX_TOKEN_CHARS = 128;

export function newVoterId(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(12)));
}

export async function signVoter(secret: string, voterId: string, issuedAtSec: number): Promise<string> {
  const body = `v1.${voterId}.${issuedAtSec}`;
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(secret), enc.encode(body));
  return `${body}.${b64url(sig)}`;
}

/** The voter id when the token is well-formed, correctly signed and not older than `maxAgeSec`; otherwise null. */
export async function verifyVoter(secret: string, token: string, nowSec: number, maxAgeSec: number): Promise<string | null> {
  // Checked before any work: the token comes from a header or a cookie of any length.
  if (token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return null;
  const [, voterId, issued, sig] = parts as [string, string, string, string];
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(voterId) || !/^\d{1,12}$/.test(issued)) return null;
  const age = nowSec - Number(issued);
  if (age < -300 || age > maxAgeSec) return null;
  const sigBytes = sig.length === SIG_CHARS ? fromB64url(sig) : null;
  if (!sigBytes) return null;
  // crypto.subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), sigBytes, enc.encode(`v1.${voterId}.${issued}`));
  return ok ? voterId : null;
}
