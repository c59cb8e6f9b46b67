/**
 * Proof of work for a new voter session, with ALTCHA (altcha-lib on the server, the `altcha` widget on the page):
 * no account, no third party. A challenge is signed, expires, and hides a random counter; the derived key's
 * signature lets the Worker verify a solution with two HMACs instead of re-deriving it.
 *
 * One solution is one voter: the voter id is derived from the challenge's signed nonce, so concurrent copies of a
 * first vote (a double tap, a resent form, a retry) all name the same voter, and the room's dedupe refuses the
 * copies. That needs no replay store, which in production would have to span every isolate.
 */
import { create, deriveHmacKeySecret, randomInt } from 'altcha-lib/frameworks/hono';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import { ALTCHA_FIELD } from '@stream-fighter/core';
import type { AppConfig } from '../env.ts';
import { derivedVoterId } from './derived-id.ts';

export const ALTCHA_ALGORITHM = 'PBKDF2/SHA-256';

type Altcha = ReturnType<typeof create>;
interface Keys {
  hmacSignatureSecret: string;
  hmacKeySignatureSecret: string;
}
const cache = new WeakMap<AppConfig, Promise<{ altcha: Altcha; keys: Keys }>>();

/** altcha-lib's Hono integration and its keys, configured from the settings (once per isolate). */
export function altcha(config: AppConfig): Promise<{ altcha: Altcha; keys: Keys }> {
  let a = cache.get(config);
  if (!a) {
    a = (async () => {
      // Both HMAC keys are derived from VOTER_SECRET: no extra secret to set, and rotating it retires them all.
      const keys: Keys = {
        hmacSignatureSecret: await deriveHmacKeySecret(`altcha:${config.VOTER_SECRET}`),
        hmacKeySignatureSecret: await deriveHmacKeySecret(`altcha-key:${config.VOTER_SECRET}`),
      };
      const integration = create({
        deriveKey,
        ...keys,
        fieldName: ALTCHA_FIELD,
        createChallengeParameters: () => ({
          algorithm: ALTCHA_ALGORITHM,
          cost: config.ALTCHA_COST,
          // Half the range at the least, so the expected work never drops far below the median.
          counter: randomInt(config.ALTCHA_MAX_COUNTER, Math.ceil(config.ALTCHA_MAX_COUNTER / 2)),
          expiresAt: Math.floor(Date.now() / 1000) + config.ALTCHA_EXPIRES_SEC,
        }),
      });
      return { altcha: integration, keys };
    })();
    cache.set(config, a);
  }
  return a;
}

export type ChallengeVerdict = { ok: true; voterId: string } | { ok: false; reason: string };

/** Check a solved challenge (the widget's base64 payload) and name the voter it mints. */
export async function verifyChallenge(config: AppConfig, payload: string): Promise<ChallengeVerdict> {
  const { altcha: a, keys } = await altcha(config);
  const out = await a.verify(payload, deriveKey, keys.hmacSignatureSecret, keys.hmacKeySignatureSecret);
  if (out.error !== null || !out.payload || !('challenge' in out.payload)) {
    const expired = out.verification !== null && 'expired' in out.verification && out.verification.expired;
    return { ok: false, reason: expired ? 'the challenge expired; fetch a new one' : 'the challenge solution is not valid' };
  }
  return { ok: true, voterId: await derivedVoterId(config.VOTER_SECRET, 'p', out.payload.challenge.parameters.nonce) };
}
