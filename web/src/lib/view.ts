/**
 * The vote page's fight panel as an HTML string, from the poll state. Pure (no DOM), so the Worker renders the
 * first paint with it (the page works before JavaScript loads) and the page script re-renders with the very
 * same function when the round changes; between changes the script patches the `data-slot` parts in place.
 */
import type { Matchup, OptionId, RoundResult, RoundState } from '@stream-fighter/core';
import { ARCHETYPES, STAGES } from '@stream-fighter/core/roster';
import { formatNumber, translator, type Lang } from './i18n.ts';
import { spriteSvg } from './sprite.ts';

/**
 * core's MAX_HP. Not imported: core/round-state.ts builds zod schemas at load, which would ship zod to phones.
 * The e2e test checks the two agree.
 */
export const MAX_HP = 100_000;

export interface FightState {
  round: RoundState;
  previous: RoundResult | null;
  upNext: Matchup | null;
  myVote: OptionId | null;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const isFight = (round: RoundState): boolean => round.matchup.options.length === 2;

export function nameOf(round: { matchup: Matchup }, id: OptionId | null): string {
  return round.matchup.options.find((o) => o.id === id)?.fighter.name ?? String(id ?? '');
}

export function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The clock line: time to start, time left, or how it ended. `now` is server time. */
export function clockText(round: RoundState, now: number, lang: Lang): string {
  const t = translator(lang);
  switch (round.phase) {
    case 'upcoming':
      return t('phase.upcoming', { time: mmss(round.liveAt - now) });
    case 'live':
      return t('phase.live', { time: mmss(round.endsAt - now) });
    default:
      return outcomeText(round, lang);
  }
}

export function outcomeText(round: Pick<RoundState, 'outcome' | 'matchup'>, lang: Lang): string {
  const t = translator(lang);
  const o = round.outcome;
  if (!o) return t('phase.finished');
  const who = o.winner ? t('round.winner', { name: nameOf(round, o.winner) }) : t('round.tie');
  return o.reason === 'ko' ? `${t('round.ko')} ${who}` : who;
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

/** Every number the panel shows, as numbers (for bars) and as text (for people and screen readers). */
export function figures(round: RoundState, lang: Lang): Figures[] {
  const t = translator(lang);
  const total = round.matchup.options.reduce((n, o) => n + (round.votes[o.id] ?? 0), 0);
  return round.matchup.options.map((o) => {
    const votes = round.votes[o.id] ?? 0;
    const sharePct = total ? Math.round((votes / total) * 100) : 0;
    const hp = round.hp[o.id] ?? MAX_HP;
    const hpPct = Math.round((hp / MAX_HP) * 100);
    const n = votes === 1 ? t('round.vote1') : t('round.votes', { n: formatNumber(votes, lang) });
    return {
      id: o.id,
      votes,
      sharePct,
      hp,
      hpPct,
      votesText: `${n} · ${t('round.share', { pct: sharePct })}`,
      hpText: t('round.hp', { hp: formatNumber(hp, lang), pct: hpPct }),
    };
  });
}

export type ButtonState = { disabled: boolean; label: string; pressed: boolean };

export function buttonState(state: FightState, id: OptionId, lang: Lang, pending: OptionId | null = null): ButtonState {
  const t = translator(lang);
  const name = nameOf(state.round, id);
  if (pending === id) return { disabled: true, label: t('vote.sendingShort'), pressed: true };
  if (state.myVote === id) return { disabled: true, label: t('vote.yours'), pressed: true };
  const open = state.round.phase === 'live' && !state.myVote && !pending;
  return { disabled: !open, label: t('vote.for', { name }), pressed: false };
}

export function totalText(round: RoundState, lang: Lang): string {
  const total = round.matchup.options.reduce((n, o) => n + (round.votes[o.id] ?? 0), 0);
  const t = translator(lang);
  return total === 1 ? t('round.total1') : t('round.total', { n: formatNumber(total, lang) });
}

/** The whole panel. `now` is server time; `pending` is a vote on its way. */
export function renderFight(state: FightState, now: number, lang: Lang, pending: OptionId | null = null): string {
  const t = translator(lang);
  const { round } = state;
  const fight = isFight(round);
  const stage = STAGES[round.matchup.stage]?.name[lang] ?? round.matchup.stage;
  const figs = figures(round, lang);
  const winner = round.outcome?.winner ?? null;
  const items = round.matchup.options
    .map((o, i) => {
      const f = figs[i]!;
      const b = buttonState(state, o.id, lang, pending);
      const label = ARCHETYPES[o.fighter.archetype]?.label[lang] ?? o.fighter.archetype;
      const name = escapeHtml(o.fighter.name);
      const hpRow = fight
        ? `<p class="stat" data-slot="hp-text">${escapeHtml(f.hpText)}</p>
           <div class="bar bar--hp${f.hpPct <= 25 ? ' is-low' : ''}" aria-hidden="true"><span data-slot="hp-bar" style="width:${f.hpPct}%"></span></div>`
        : '';
      return `<li class="opt${winner === o.id ? ' is-winner' : ''}" data-opt="${o.id}" style="--fc:${o.fighter.color}">
        <div class="opt__art">${spriteSvg(o.fighter.archetype, o.fighter.color, fight && i === 1)}</div>
        <div class="opt__body">
          <h3 class="opt__name" id="opt-${o.id}-name">${name}</h3>
          <p class="opt__kind">${escapeHtml(label)}</p>
          ${hpRow}
          <p class="stat" data-slot="votes-text">${escapeHtml(f.votesText)}</p>
          <div class="bar bar--votes" aria-hidden="true"><span data-slot="votes-bar" style="width:${f.sharePct}%"></span></div>
        </div>
        <button class="vote-btn" type="submit" name="option" value="${o.id}" data-slot="button" aria-pressed="${b.pressed}"${b.disabled ? ' disabled' : ''}>${escapeHtml(b.label)}</button>
      </li>`;
    })
    .join('');
  const prev = state.previous
    ? `<p class="fight__aside">${escapeHtml(t('round.previous', { title: state.previous.matchup.title, result: outcomeText(state.previous, lang) }))}</p>`
    : '';
  const next = state.upNext ? `<p class="fight__aside">${escapeHtml(t('round.upNext', { title: state.upNext.title }))}</p>` : '';
  return `<div class="fight ${fight ? 'fight--duel' : 'fight--poll'}" data-poll="${escapeHtml(round.pollId)}" data-phase="${round.phase}">
    <header class="fight__head">
      <h2 class="fight__title">${escapeHtml(round.matchup.title)}</h2>
      <p class="fight__meta"><span class="clock clock--${round.phase}" data-slot="clock">${escapeHtml(clockText(round, now, lang))}</span>
        <span class="fight__stage">${escapeHtml(t('round.stageOn', { stage }))}</span></p>
      <p class="fight__help">${escapeHtml(fight ? t('vote.help') : t('vote.helpPoll'))}</p>
    </header>
    <form class="options" id="vote-form" method="post" action="/api/vote" data-slot="form">
      <input type="hidden" name="pollId" value="${escapeHtml(round.pollId)}">
      <ul class="options__list" role="list">${items}</ul>
      <div class="turnstile-slot" data-slot="turnstile"></div>
    </form>
    <p class="fight__total" data-slot="total">${escapeHtml(totalText(round, lang))}</p>
    ${prev}${next}
  </div>`;
}
