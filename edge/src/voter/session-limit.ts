/**
 * At most SESSIONS_PER_ADDRESS_PER_HOUR new sessions per address, counted apart for each kind of proof, so free
 * no-JavaScript tickets cannot use up what voters who solved a challenge may mint. When Redis fails or is slow the
 * session goes through (http/limits.ts): the room's per-round address cap still holds, without Redis.
 */
import type { AppConfig } from '../env.ts';
import { checkLimit, limiters, type LimitVerdict } from '../http/limits.ts';
import { sessionKind } from './derived-id.ts';

/** `address` is the keyed hash of the caller's prefix. */
export function newSessionAllowed(config: AppConfig, voterId: string, address: string, defer: (p: Promise<unknown>) => void): Promise<LimitVerdict> {
  return checkLimit(limiters(config).sessions, `${sessionKind(voterId)}:${address}`, 'sessions', defer);
}
