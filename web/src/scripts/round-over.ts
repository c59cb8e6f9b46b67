/**
 * The vote page's results view, once the round is over: the winner and its new record, how the voter's pick did, the next match
 * (words: lib/round-over-text.ts). What a bet won or lost is the points panel's line right below it (bet-panel.ts).
 */
import type { FightState } from '@stream-fighter/view/fight-panel';
import type { Lang } from '@stream-fighter/view/languages';
import type { Translate } from '@stream-fighter/view/words';
import { roundOverLines } from '../lib/round-over-text.ts';

export interface RoundOver {
  /** The page's state now (every render): shown during the finish and results cards, hidden otherwise. */
  update(state: FightState, t: Translate, lang: Lang): void;
}

export function roundOver(root: HTMLElement): RoundOver {
  const slot = (name: string) => root.querySelector<HTMLElement>(`[data-slot="${name}"]`)!;
  let drawn = '';
  return {
    update(state, t, lang) {
      const lines = roundOverLines(t, lang, state);
      // Renders patch numbers many times a second: touch the DOM only when the words change.
      const key = JSON.stringify(lines);
      if (key === drawn) return;
      drawn = key;
      root.hidden = lines === null;
      if (!lines) return;
      slot('winner').textContent = lines.winner;
      slot('record').textContent = lines.record ?? '';
      slot('mine').textContent = lines.mine ?? '';
      slot('next').textContent = lines.next;
    },
  };
}
