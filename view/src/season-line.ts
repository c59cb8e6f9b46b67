/**
 * Where the season's cycle is, as one line of words, the same on the stream, the overlay and the vote page (issue
 * 14, "The cycle"): "7 matches until the tournament", "Seeding the tournament", "Season 3 · Quarter-final 2 of 4",
 * "Season 3 · Final", "Exhibition 2 of 5". Numbers go through formatNumber.
 *
 * The room moves the cycle when a round finishes (edge season-desk.ts), so during a round the line names that
 * round, and from its K.O. card on it names the one that comes next: a count never reads one behind.
 */
import type { BracketRound, CyclePositionView } from '@stream-fighter/core';
import { formatNumber } from './format.ts';
import type { Lang } from './languages.ts';
import { translator } from './words.ts';

/** A tournament match by its round: "Quarter-final 2 of 4", "Semi-final 1 of 2", "Final" (there is one). */
export function bracketRoundName(round: BracketRound, match: number, of: number, lang: Lang): string {
  const t = translator(lang);
  const vars = { match: formatNumber(match, lang), of: formatNumber(of, lang) };
  switch (round) {
    case 'quarter-final':
      return t('cycle.quarterFinal', vars);
    case 'semi-final':
      return t('cycle.semiFinal', vars);
    case 'final':
      return t('cycle.final');
  }
}

/** "Season 3". */
export function seasonName(season: number, lang: Lang): string {
  return translator(lang)('cycle.season', { n: formatNumber(season, lang) });
}

export function seasonLine(position: CyclePositionView, lang: Lang): string {
  const t = translator(lang);
  switch (position.stage) {
    case 'matchmaking': {
      const n = position.untilTournament;
      // The room counts the round under way among them, so 0 comes only between the last round and the seeding.
      if (n <= 0) return t('cycle.tournamentNext');
      return n === 1 ? t('cycle.untilTournament1') : t('cycle.untilTournament', { n: formatNumber(n, lang) });
    }
    case 'seeding':
      return t('cycle.seeding');
    case 'tournament':
      return `${seasonName(position.season, lang)} · ${bracketRoundName(position.round, position.match, position.of, lang)}`;
    case 'exhibition': {
      // `played` are finished; the one under way (or next) is the one after them, never past the last.
      const n = Math.max(1, Math.min(position.total, position.played + 1));
      return t('cycle.exhibition', { n: formatNumber(n, lang), total: formatNumber(position.total, lang) });
    }
  }
}
