/**
 * A round in words: the clock line, how it ended, the vote counts with their shares, the HP left. The vote page,
 * the overlay, the dashboard and the stream all say these the same way.
 */
import type { Matchup, OptionId, RoundState, StageId } from '@stream-fighter/core';
import { MAX_HP } from '@stream-fighter/core/constants';
import { phaseLengths } from '@stream-fighter/core/round';
import { STAGES } from '@stream-fighter/core/roster';
import { formatClock, formatNumber } from './format.ts';
import type { Lang } from './languages.ts';
import { hpPct, sharePct, totalVotes } from './shares.ts';
import { translator } from './words.ts';

export function nameOf(round: { matchup: Pick<Matchup, 'options'> }, id: OptionId | null): string {
  return round.matchup.options.find((o) => o.id === id)?.fighter.name ?? String(id ?? '');
}

/** A stage's name; an unknown id (a newer room's) as itself. */
export function stageName(stage: StageId, lang: Lang): string {
  return STAGES[stage]?.name[lang] ?? stage;
}

/** "1 vote", "12,345 votes". */
export function votesText(votes: number, lang: Lang): string {
  const t = translator(lang);
  return votes === 1 ? t('round.vote1') : t('round.votes', { n: formatNumber(votes, lang) });
}

/** "12 votes · 40%": a count with its share of all votes. */
export function votesAndShareText(votes: number, pct: number, lang: Lang): string {
  return `${votesText(votes, lang)} · ${translator(lang)('round.share', { pct })}`;
}

/** "1 vote in total", "12,345 votes in total". */
export function totalVotesText(total: number, lang: Lang): string {
  const t = translator(lang);
  return total === 1 ? t('round.total1') : t('round.total', { n: formatNumber(total, lang) });
}

export function outcomeText(round: Pick<RoundState, 'outcome' | 'matchup'>, lang: Lang): string {
  const t = translator(lang);
  const o = round.outcome;
  if (!o) return t('phase.finished');
  const who = o.winner ? t('round.winner', { name: nameOf(round, o.winner) }) : t('round.tie');
  return o.reason === 'ko' ? `${t('round.ko')} ${who}` : who;
}

/** When the round stopped (ms epoch): a finished round changed phase then; results come its finish card later. */
export function endedAt(round: Pick<RoundState, 'phase' | 'phaseAt' | 'phaseMs'>): number | null {
  if (round.phase === 'finished') return round.phaseAt;
  if (round.phase === 'results') return round.phaseAt - phaseLengths(round).finish;
  return null;
}

/**
 * What the clock shows, in ms: the full duration before the start, the time left while live, and once the round
 * is over the time that was left when it ended (a KO with 1:06 to go keeps showing 1:06; only a time-out shows 0:00).
 */
export function clockLeftMs(round: Pick<RoundState, 'phase' | 'phaseAt' | 'phaseMs' | 'endsAt' | 'matchup'>, now: number): number {
  const duration = round.matchup.durationSec * 1000;
  const stop = round.phase === 'upcoming' ? -Infinity : (endedAt(round) ?? now);
  return Math.min(duration, Math.max(0, Math.ceil(round.endsAt - stop)));
}

/** The clock line: time to start, time left, or how it ended. `now` is server time. */
export function clockText(round: RoundState, now: number, lang: Lang): string {
  const t = translator(lang);
  switch (round.phase) {
    case 'upcoming':
      return t('phase.upcoming', { time: formatClock(round.liveAt - now) });
    case 'live':
      return t('phase.live', { time: formatClock(round.endsAt - now) });
    default:
      return outcomeText(round, lang);
  }
}

export interface Figures {
  id: OptionId;
  votes: number;
  sharePct: number;
  hp: number;
  hpPct: number;
  votesText: string;
  hpText: string;
}

/** Every number a panel shows, as numbers (for bars) and as text (for people and screen readers). */
export function figures(round: RoundState, lang: Lang): Figures[] {
  const t = translator(lang);
  const total = totalVotes(round);
  return round.matchup.options.map((o) => {
    const votes = round.votes[o.id] ?? 0;
    const share = sharePct(votes, total);
    const hp = round.hp[o.id] ?? MAX_HP;
    const hpShare = hpPct(hp);
    return {
      id: o.id,
      votes,
      sharePct: share,
      hp,
      hpPct: hpShare,
      votesText: votesAndShareText(votes, share, lang),
      hpText: t('round.hp', { hp: formatNumber(hp, lang), pct: hpShare }),
    };
  });
}
