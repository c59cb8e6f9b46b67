/**
 * The vote page's fight panel as an HTML string, from the poll state. Pure (no DOM), so the Worker renders the
 * first paint with it (the page works before JavaScript loads) and the page script re-renders with the very
 * same function when the round changes; between changes the script patches the `data-slot` parts in place.
 */
import type { FighterCard, Matchup, OptionId, RoundResult, RoundState } from '@stream-fighter/core';
import { ARCHETYPES } from '@stream-fighter/core/roster';
import { isFight } from '@stream-fighter/core/round';
import { cardLineHtml } from './fighter-card.ts';
import { escapeHtml } from './html.ts';
import type { Lang } from './languages.ts';
import { clockText, figures, nameOf, outcomeText, stageName, totalVotesText } from './round-text.ts';
import { totalVotes } from './shares.ts';
import { spriteSvg } from './sprites/svg.ts';
import { translator } from './words.ts';

export interface FightState {
  round: RoundState;
  previous: RoundResult | null;
  upNext: Matchup | null;
  myVote: OptionId | null;
  /** The round's fighter cards, from the room's snapshot once it has them (absent from GET /api/poll). */
  fighters?: Partial<Record<OptionId, FighterCard>>;
}

/** An option's card line ("S · 14-3", NEW, the flame) as HTML, or '' when there is none (yet). */
export function cardHtml(state: FightState, id: OptionId, lang: Lang): string {
  const card = isFight(state.round.matchup) ? state.fighters?.[id] : undefined;
  return card ? cardLineHtml(card, lang) : '';
}

export type ButtonState = { disabled: boolean; label: string; pressed: boolean };

/** An option's vote button: open while the round is live and this voter has no vote (nor one on its way). */
export function buttonState(state: FightState, id: OptionId, lang: Lang, pending: OptionId | null = null): ButtonState {
  const t = translator(lang);
  if (pending === id) return { disabled: true, label: t('vote.sendingShort'), pressed: true };
  if (state.myVote === id) return { disabled: true, label: t('vote.yours'), pressed: true };
  const open = state.round.phase === 'live' && !state.myVote && !pending;
  return { disabled: !open, label: t('vote.for', { name: nameOf(state.round, id) }), pressed: false };
}

/** The total line under the options. */
export function totalText(round: RoundState, lang: Lang): string {
  return totalVotesText(totalVotes(round), lang);
}

/** The whole panel. `now` is server time; `pending` is a vote on its way. */
export function renderFight(state: FightState, now: number, lang: Lang, pending: OptionId | null = null): string {
  const t = translator(lang);
  const { round } = state;
  const fight = isFight(round.matchup);
  const stage = stageName(round.matchup.stage, lang);
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
          ${fight ? `<p class="opt__card" data-slot="card">${cardHtml(state, o.id, lang)}</p>` : ''}
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
