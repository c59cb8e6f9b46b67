/**
 * Every `error.code` the API answers with (`ApiError` in protocol.ts), as one list: the Worker's refusals, the
 * site's messages for them (view/src/errors.ts) and the tests all name codes from here, so a code cannot be
 * misspelt on one side only. No zod: the browser imports it.
 */
export const API_ERROR_CODES = [
  // The request itself
  'malformed-json',
  'invalid-encoding',
  'invalid-body',
  'body-too-large',
  'unsupported-media-type',
  'invalid-query',
  'invalid-cursor',
  'invalid-id',
  'cross-site',
  'not-found',
  'http-error',
  'upgrade-required',
  'bad-connection-id',
  'bad-role',
  'bad-node',
  'bad-capacity',
  // Who is calling
  'unauthorized',
  'invalid-voter-token',
  'voter-required',
  'too-many-sessions',
  'ticket-disabled',
  'ticket-invalid',
  'turnstile-required',
  'turnstile-failed',
  'challenge-required',
  'challenge-failed',
  'banned',
  // Votes
  'already-voted',
  'stale-poll',
  'not-live',
  'unknown-option',
  'rate-limited',
  'address-limit',
  // Bets (play-money predictions)
  'bets-closed',
  'already-bet',
  'over-balance',
  'invalid-stake',
  // Shout-outs and moderation
  'refused',
  'already-pending',
  'queue-full',
  'not-pending',
  'not-banned',
  // Screens
  'screen-exists',
  'screen-in-use',
  'built-in-screen',
  'too-many-screens',
  // Chat sources
  'too-many-sources',
  // The server
  'misconfigured',
  'unavailable',
  'internal',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(API_ERROR_CODES);

export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}
