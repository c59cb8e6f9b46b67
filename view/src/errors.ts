/**
 * What a refused vote tells the voter, by the API's error code: the same words on the no-JavaScript page the
 * Worker renders (`/?error=<code>`) and in the page script (a refused fetch).
 */
import type { ApiErrorCode } from '@stream-fighter/core/error-codes';
import type { Translate, WordKey } from './words.ts';

/** Codes a voter can act on; any other code is shown as itself inside `vote.failed`. */
export const VOTE_REFUSALS = {
  'already-voted': 'vote.already',
  'stale-poll': 'vote.stale',
  'not-live': 'vote.closed',
  'rate-limited': 'vote.limited',
  'address-limit': 'vote.limited',
  'too-many-sessions': 'vote.limited',
  'turnstile-required': 'vote.turnstile',
  'turnstile-failed': 'vote.turnstile',
  'challenge-required': 'vote.challengeFailed',
  'challenge-failed': 'vote.challengeFailed',
  'ticket-invalid': 'vote.ticket',
  banned: 'vote.banned',
} as const satisfies Partial<Record<ApiErrorCode, WordKey>>;

/**
 * The status line for a refused vote. `code` is whatever came back (the API's, or the client's own such as
 * `network`); `votedFor` names the option the server holds for this voter, for `already-voted`.
 */
export function voteRefusalText(t: Translate, code: string, votedFor: string | null = null): string {
  const key = Object.hasOwn(VOTE_REFUSALS, code) ? VOTE_REFUSALS[code as keyof typeof VOTE_REFUSALS] : null;
  if (key === 'vote.already') return t(key, { forName: votedFor ? t('vote.alreadyFor', { name: votedFor }) : '' });
  return key ? t(key) : t('vote.failed', { reason: code });
}
