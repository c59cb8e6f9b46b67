/**
 * Hostile values for the fuzz suite: strings, JSON, bytes, tokens and cursors a careless or malicious client
 * sends. Pure fast-check arbitraries, so Node (`npm run fuzz`) and workerd (the slice in `npm test`) draw the same
 * values from the same seed.
 */
import fc from 'fast-check';

const enc = new TextEncoder();

/** Any UTF-16 code unit, lone surrogates included: what a JSON `\uXXXX` escape can carry. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const surrogateUnit = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud83d',
  '\ude00',
  'x\udbff',
  '\ud83d\ude00',
  '\u202e\u0301',
  '\r\n',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  "'; drop table results; --",
  '../../etc/passwd',
  '%00',
  '%ED%A0%80',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '0x10',
  'null',
  'true',
  '{}',
  'A'.repeat(300),
] as const;

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: utf16Unit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), surrogateUnit, fc.string({ maxLength: 10 })).map(([a, s, b]) => a + s + b) },
  { weight: 1, arbitrary: fc.integer({ min: 25, max: 5_000 }).map((n) => 'x'.repeat(n)) },
);

/** Any JSON-ish value, with hostile strings and numbers JSON cannot hold precisely. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

/**
 * JSON text of an object with the given own properties, where any key may be a prototype key: JSON.parse makes
 * `"__proto__"` an own property, which a careless merge turns into a prototype write.
 */
export function jsonObject(entries: Array<[string, unknown]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

export const protoEntries: fc.Arbitrary<Array<[string, unknown]>> = fc.array(
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString'), fc.oneof(hostileValue, fc.constant({ polluted: true, option: 'A', isAdmin: true }))),
  { minLength: 1, maxLength: 2 },
);

/** Bytes that are not UTF-8: a lone continuation byte, an overlong NUL, a CESU-8 surrogate, 0xFF. */
export const badUtf8: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom([0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]))
  .map(([s, bad]) => {
    const head = enc.encode(s);
    const out = new Uint8Array(head.length + bad.length + 2);
    out.set(head);
    out.set(bad, head.length);
    out.set([0x7b, 0x7d], head.length + bad.length);
    return out;
  });

export const randomBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 300 });

/** Percent-encodes every byte outside the unreserved set: any byte sequence, NUL and invalid UTF-8 included. */
export function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** A URL path segment or query value: sometimes plain, sometimes arbitrary bytes, sometimes a lone surrogate in CESU-8. */
export const urlPiece: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/),
  fc.uint8Array({ maxLength: 24 }).map(percentEncode),
  hostileString.map((s) => percentEncode(enc.encode(s))),
  fc.constantFrom('%ED%A0%80', '%00', '%', '%zz', '..', '.', '%2e%2e%2f', '%C0%80', '%FF'),
);

const b64url = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/**
 * Voter tokens that must never verify: malformed, base64 of every length mod 4, forged signatures, expired, from
 * the future, huge. A forged HMAC verifies with probability 2^-256. `nowSec` makes some look freshly issued, so
 * they get as far as the signature check.
 */
export const badVoterToken = (nowSec: number): fc.Arbitrary<string> =>
  fc.oneof(
    hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/), fc.integer({ min: -1, max: 3_000_000_000 }), fc.stringMatching(/^[A-Za-z0-9_=+/-]{0,60}$/)).map(([id, t, sig]) => `v1.${id}.${t}.${sig}`),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([id, sig]) => `v1.${id}.${nowSec}.${b64url(sig)}`),
    fc.integer({ min: 0, max: 15 }).map((n) => `v1.AAAAAAAAAAAAAAAA.${nowSec}.${'A'.repeat(n * 4 + 1)}`),
    fc.constantFrom('v1...', 'v1.a.b.c.d', 'v2.AAAAAAAAAAAA.1700000000.AAAA', `v1.${'A'.repeat(5000)}.1.A`, 'v1.AAAAAAAAAAAA.99999999999999.AAAA'),
  );

/** History cursors that are not ones the API issued: bad base64, bad JSON, out-of-range times, NUL bytes. */
export const badCursor: fc.Arbitrary<string> = fc.oneof(
  urlPiece,
  fc.tuple(fc.oneof(hostileValue, fc.constantFrom('-999999999999999999', '999999999999999999', '-1', '1e18', '')), fc.oneof(hostileValue, fc.constantFrom('p\u0000', 'poll-01', ''))).map(([t, p]) =>
    b64url(enc.encode(jsonObject([['t', t], ['p', p]]))),
  ),
  hostileValue.map((v) => b64url(enc.encode(JSON.stringify(v) ?? 'x'))),
  fc.uint8Array({ maxLength: 60 }).map(b64url),
);

export const contentType: fc.Arbitrary<string | null> = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/plain;charset=UTF-8',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  '*/*',
  ';;;',
  null,
);
