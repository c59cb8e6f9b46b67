// edge/src/voter/token.ts is Worker code that names the global CryptoKey; Node has the same class as
// webcrypto.CryptoKey but @types/node does not declare the global, so the bench declares it for the type check.
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
}
export {};
