/**
 * HMAC-SHA256 with imported keys cached per isolate (an import costs more than a signature), and unpadded
 * base64url: what the edge's signed tokens, tickets, derived voter ids and address hashes are made of. Each use
 * names its own key material (`ticket:<secret>`, …), so one secret never signs two kinds of thing alike.
 */
const enc = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

export function hmacKey(material: string): Promise<CryptoKey> {
  let key = keys.get(material);
  if (!key) {
    key = crypto.subtle.importKey('raw', enc.encode(material), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(material, key);
  }
  return key;
}

/** The 32-byte HMAC-SHA256 of `data` under the key made from `material`. */
export async function hmac(material: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(material), enc.encode(data)));
}

export function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Null for anything that is not unpadded base64url (a length of 1 mod 4 is not base64 at all: atob throws on it). */
export function fromB64url(s: string): Uint8Array | null {
  if (s.length % 4 === 1 || !/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
