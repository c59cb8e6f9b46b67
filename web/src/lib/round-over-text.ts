/**
 * The vote page's results view in words (scripts/round-over.ts): who won, the winner's new record, how the voter's
 * pick did, and the next match. What a bet won or lost is the points panel's line (bet-panel.ts), shown right below: not said twice.
 * Pure, so it is tested without a browser.
 */
import type { OptionId } from '@stream-fighter/core';
import type { FightState } from '@stream-fighter/view/fight-panel';
import type { Lang } from '@stream-fighter/view/languages';
import { recordAfter, recordText } from '@stream-fighter/view/fighter-card';
import { nameOf, outcomeText } from '@stream-fighter/view/round-text';
import type { Translate } from '@stream-fighter/view/words';

export interface RoundOverLines {
  /** "K.O.! Iron Mara wins!", "Draw!". */
  winner: string;
  /** The winner's record with this round counted ("Iron Mara is now 15-3"); null for a tie or without its card. */
  record: string | null;
  /** How the voter's own pick did; null when they did not vote in this round. */
  mine: string | null;
  next: string;
}

/** The lines once the round is over (its finish card and results card); null while it is still to come or live. */
export function roundOverLines(t: Translate, lang: Lang, s: Pick<FightState, 'round' | 'myVote' | 'upNext' | 'fighters'>): RoundOverLines | null {
  const { round } = s;
  if (round.phase !== 'finished' && round.phase !== 'results') return null;
  const winner = round.outcome?.winner ?? null;
  const card = winner ? s.fighters?.[winner] : undefined;
  return {
    winner: outcomeText(round, lang),
    record: winner && card ? t('over.record', { name: nameOf(round, winner), record: recordText(recordAfter(card, 'win'), lang) }) : null,
    mine: s.myVote ? pickLine(t, round, s.myVote) : null,
    next: s.upNext ? t('round.upNext', { title: s.upNext.title }) : t('vote.nextSoon'),
  };
}

function pickLine(t: Translate, round: FightState['round'], mine: OptionId): string {
  const name = nameOf(round, mine);
  const winner = round.outcome?.winner ?? null;
  if (winner === null) return t('vote.resultTie', { name });
  return t(winner === mine ? 'vote.resultWon' : 'vote.resultLost', { name });
}
