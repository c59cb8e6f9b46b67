// The stack and the tests import Worker code (edge/src) that names the global CryptoKey; Node has the same class as
// webcrypto.CryptoKey but @types/node does not declare the global, so declare it for the type check (as
// edge/bench/globals.d.ts does for the benchmarks).
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
}
export {};
