/**
 * What the vote page says about the voter's own hit ("Claw Swipe! 21,845 damage") and how the phone buzzes with
 * it. Pure, so it is tested without a browser; words from view/words, numbers from view/format.
 */
import type { AttackKind, VoteAccepted } from '@stream-fighter/core';
import { formatNumber } from '@stream-fighter/view/format';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';

/** The hit a vote landed, as POST /api/vote names it (a fight only). */
export type VoteHit = NonNullable<VoteAccepted['hit']>;

export function hitText(t: Translate, lang: Lang, hit: Pick<VoteHit, 'move' | 'damage'>): string {
  return t('vote.hit', { move: hit.move, damage: formatNumber(hit.damage, lang) });
}

/** A vibration pattern (ms on, off, on…): one short tap for a punch or a kick, a heavier double for the special. */
export function vibrationFor(kind: AttackKind): number[] {
  return kind === 'special' ? [40, 40, 90] : [45];
}
